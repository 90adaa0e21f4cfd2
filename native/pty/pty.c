// Raw pseudo-terminals for Node: the simulator's serial ports and the guard's AT proxy.
//
// Node has no API to unlock a /dev/ptmx master (grantpt/unlockpt/ptsname are ioctls) nor termios,
// and its own streams close a tty's fd on the first read error, which a pty master gets (EIO) every
// time the last program on the slave closes it. So this addon does exactly two things and leaves
// reads, writes and policy to JavaScript (src/core/pty/pty-host.ts):
//   openRawPty()            a master, non-blocking and close-on-exec, whose slave is already raw
//                           at 115200 baud and closed again (nobody holds it: the master sees
//                           EIO/POLLHUP until a host program opens it)
//   hostHasOpen(fd)         whether a program has the slave open: the master polls POLLHUP while
//                           nobody does (one poll(2), no exception as a failed read would be)
//   new FdPoll(fd, onEvent) libuv's uv_poll on that fd, which survives EIO/HUP: onEvent(status,
//                           events) with UV_READABLE = 1, UV_WRITABLE = 2
// A cooked slave would mangle binary Sahara packets (edl sheet §1.8), hence raw before anyone can
// open it. N-API only, so one build runs on every Node version from 20 on.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#define CHECK(env, call)                                                      \
  do {                                                                        \
    if ((call) != napi_ok) {                                                  \
      napi_throw_error((env), "EPTYADDON", "pty addon: N-API call failed: " #call); \
      return NULL;                                                            \
    }                                                                         \
  } while (0)

// Throws an Error like Node's own system errors: message "<what>: <strerror>", code "EIO" etc.
static napi_value throw_errno(napi_env env, const char* what, int err) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_value code, text, error, errno_value;
  napi_create_string_utf8(env, uv_err_name(-err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &error);
  napi_create_int32(env, -err, &errno_value);
  napi_set_named_property(env, error, "code", code);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_throw(env, error);
  return NULL;
}

static napi_value open_raw_pty(napi_env env, napi_callback_info info) {
  (void)info;
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return throw_errno(env, "posix_openpt", errno);
  char path[256];
  int slave = -1;
  const char* step = "grantpt";
  if (grantpt(master) != 0) goto fail;
  step = "unlockpt";
  if (unlockpt(master) != 0) goto fail;
  step = "ptsname_r";
  if (ptsname_r(master, path, sizeof path) != 0) goto fail;
  step = "open slave";
  slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) goto fail;
  struct termios attrs;
  step = "tcgetattr";
  if (tcgetattr(slave, &attrs) != 0) goto fail;
  cfmakeraw(&attrs);
  attrs.c_cc[VMIN] = 1;
  attrs.c_cc[VTIME] = 0;
  cfsetispeed(&attrs, B115200);
  cfsetospeed(&attrs, B115200);
  step = "tcsetattr";
  if (tcsetattr(slave, TCSANOW, &attrs) != 0) goto fail;
  close(slave);
  slave = -1;
  // Close-on-exec: a child that inherited the master would keep the pty alive after we close it,
  // and the host would never see the hang-up a USB unplug gives.
  step = "fcntl";
  int flags = fcntl(master, F_GETFL);
  if (flags < 0 || fcntl(master, F_SETFL, flags | O_NONBLOCK) != 0 || fcntl(master, F_SETFD, FD_CLOEXEC) != 0) goto fail;

  napi_value result, fd_value, path_value;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_int32(env, master, &fd_value));
  CHECK(env, napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &path_value));
  CHECK(env, napi_set_named_property(env, result, "fd", fd_value));
  CHECK(env, napi_set_named_property(env, result, "path", path_value));
  return result;

fail: {
    int err = errno;
    if (slave >= 0) close(slave);
    close(master);
    return throw_errno(env, step, err);
  }
}

static napi_value host_has_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  int32_t fd;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "hostHasOpen(fd: number)");
    return NULL;
  }
  struct pollfd entry = {.fd = fd, .events = POLLIN, .revents = 0};
  int ready;
  do ready = poll(&entry, 1, 0);
  while (ready < 0 && errno == EINTR);
  if (ready < 0) return throw_errno(env, "poll", errno);
  if (entry.revents & POLLNVAL) return throw_errno(env, "poll", EBADF);
  CHECK(env, napi_get_boolean(env, (entry.revents & POLLHUP) == 0, &result));
  return result;
}

typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  // Held while the handle is open, so the JS object is not collected under a live poll.
  napi_ref self;
  napi_async_context context;
  int closing;
  int closed;
} FdPoll;

static void on_poll(uv_poll_t* handle, int status, int events) {
  FdPoll* poll = handle->data;
  napi_env env = poll->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, self, argv[2], ignored;
  if (napi_get_reference_value(env, poll->callback, &callback) == napi_ok &&
      napi_get_reference_value(env, poll->self, &self) == napi_ok && callback != NULL && self != NULL) {
    napi_create_int32(env, status, &argv[0]);
    napi_create_int32(env, events, &argv[1]);
    // napi_make_callback, not napi_call_function: the microtasks and nextTicks the handler queues
    // run when it returns, as after any other libuv callback.
    if (napi_make_callback(env, poll->context, self, callback, 2, argv, &ignored) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void on_closed(uv_handle_t* handle) {
  FdPoll* poll = handle->data;
  napi_env env = poll->env;
  poll->closed = 1;
  napi_async_destroy(env, poll->context);
  napi_delete_reference(env, poll->callback);
  // Last: dropping the object's only strong reference may let it be collected, and its finalizer
  // frees this struct.
  napi_delete_reference(env, poll->self);
}

static void finalize_poll(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  FdPoll* poll = data;
  if (poll->closed) free(poll);
}

static FdPoll* unwrap(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  void* data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok) return NULL;
  return data;
}

static napi_value poll_new(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  int32_t fd;
  napi_valuetype type;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "new FdPoll(fd: number, onEvent: (status, events) => void)");
    return NULL;
  }
  FdPoll* poll = calloc(1, sizeof *poll);
  if (poll == NULL) return throw_errno(env, "FdPoll", ENOMEM);
  uv_loop_t* loop;
  CHECK(env, napi_get_uv_event_loop(env, &loop));
  int err = uv_poll_init(loop, &poll->handle, fd);
  if (err != 0) {
    free(poll);
    return throw_errno(env, "uv_poll_init", -err);
  }
  poll->handle.data = poll;
  poll->env = env;
  napi_value name;
  CHECK(env, napi_create_string_utf8(env, "medic:FdPoll", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_async_init(env, self, name, &poll->context));
  CHECK(env, napi_create_reference(env, argv[1], 1, &poll->callback));
  CHECK(env, napi_wrap(env, self, poll, finalize_poll, NULL, NULL));
  CHECK(env, napi_create_reference(env, self, 1, &poll->self));
  return self;
}

static napi_value poll_start(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  FdPoll* poll = unwrap(env, info, &argc, argv);
  int32_t events;
  if (poll == NULL || argc < 1 || napi_get_value_int32(env, argv[0], &events) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "FdPoll.start(events: number)");
    return NULL;
  }
  if (poll->closing) {
    napi_throw_error(env, "ERR_CLOSED", "FdPoll.start after close");
    return NULL;
  }
  int err = uv_poll_start(&poll->handle, events, on_poll);
  if (err != 0) return throw_errno(env, "uv_poll_start", -err);
  return NULL;
}

static napi_value poll_stop(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  FdPoll* poll = unwrap(env, info, &argc, NULL);
  if (poll != NULL && !poll->closing) uv_poll_stop(&poll->handle);
  return NULL;
}

// Stops polling for good. The fd stays open: libuv must be done with it before it is closed, so
// the caller closes it after this returns (uv_close takes effect before the next poll phase).
static napi_value poll_close(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  FdPoll* poll = unwrap(env, info, &argc, NULL);
  if (poll != NULL && !poll->closing) {
    poll->closing = 1;
    uv_poll_stop(&poll->handle);
    uv_close((uv_handle_t*)&poll->handle, on_closed);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value open_fn, has_open_fn, poll_class;
  CHECK(env, napi_create_function(env, "openRawPty", NAPI_AUTO_LENGTH, open_raw_pty, NULL, &open_fn));
  CHECK(env, napi_set_named_property(env, exports, "openRawPty", open_fn));
  CHECK(env, napi_create_function(env, "hostHasOpen", NAPI_AUTO_LENGTH, host_has_open, NULL, &has_open_fn));
  CHECK(env, napi_set_named_property(env, exports, "hostHasOpen", has_open_fn));
  napi_property_descriptor methods[] = {
      {"start", NULL, poll_start, NULL, NULL, NULL, napi_default, NULL},
      {"stop", NULL, poll_stop, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, poll_close, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_class(env, "FdPoll", NAPI_AUTO_LENGTH, poll_new, NULL, 3, methods, &poll_class));
  CHECK(env, napi_set_named_property(env, exports, "FdPoll", poll_class));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
