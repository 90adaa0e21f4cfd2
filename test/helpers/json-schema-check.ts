// A deliberately separate, minimal evaluator for the keywords event.schema.json uses (type,
// properties, required, additionalProperties:false, enum, const, minimum/maximum,
// minLength/maxLength, pattern, oneOf, local $ref). It reads the committed JSON file, not the
// TypeScript declarations, so a test can show that what we document accepts and refuses what the
// validator does. Unknown keywords make it throw rather than pass silently.

type Schema = Record<string, unknown>;

const known = new Set(['$schema', '$id', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'enum', 'const', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format', 'oneOf', '$ref', '$defs']);

function typeOk(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      throw new Error(`schema check: unsupported type ${String(type)}`);
  }
}

/** Error messages for `value` against `schema` (empty when it conforms). */
export function schemaErrors(root: Schema, schema: Schema, value: unknown, path = '$'): string[] {
  for (const key of Object.keys(schema)) if (!known.has(key)) throw new Error(`schema check: unsupported keyword ${key}`);
  const errors: string[] = [];
  if (typeof schema['$ref'] === 'string') {
    const name = /^#\/\$defs\/(.+)$/.exec(schema['$ref'])?.[1];
    const target = name === undefined ? undefined : (root['$defs'] as Record<string, Schema> | undefined)?.[name];
    if (target === undefined) throw new Error(`schema check: unresolvable $ref ${schema['$ref']}`);
    errors.push(...schemaErrors(root, target, value, path));
  }
  if (schema['type'] !== undefined && !typeOk(schema['type'], value)) return [...errors, `${path}: not ${JSON.stringify(schema['type'])}`];
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) errors.push(`${path}: not in enum`);
  if ('const' in schema && schema['const'] !== value) errors.push(`${path}: not const`);
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: below minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: above maximum`);
  }
  if (typeof value === 'string') {
    const length = Array.from(value).length;
    if (typeof schema['minLength'] === 'number' && length < schema['minLength']) errors.push(`${path}: too short`);
    if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) errors.push(`${path}: too long`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${path}: pattern`);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    for (const name of (schema['required'] ?? []) as string[]) if (!(name in object)) errors.push(`${path}.${name}: required`);
    for (const [name, child] of Object.entries(object)) {
      const sub = properties[name];
      if (sub !== undefined) errors.push(...schemaErrors(root, sub, child, `${path}.${name}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}.${name}: additional property`);
    }
  }
  if (Array.isArray(schema['oneOf'])) {
    const matching = (schema['oneOf'] as Schema[]).filter((branch) => schemaErrors(root, branch, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} oneOf branches, not exactly 1`);
  }
  return errors;
}
