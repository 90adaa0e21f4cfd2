{
  "targets": [
    {
      "target_name": "medic_pty",
      "sources": ["pty.c"],
      "cflags": ["-Wall", "-Wextra", "-Werror", "-std=gnu11"]
    }
  ]
}
