import { EVENT_SCHEMA_VERSION, envelopeFields, eventTypeNames, eventTypes } from './event-types.js';
import type { Field, FieldTable } from './fields.js';

// The JSON Schema (draft 2020-12) of a risk event, built from the same declarations as the types
// and the validator. `src/guard/events/event.schema.json` is this object written out for people
// and for other languages; a test keeps the file equal to it, so the file is never edited by hand
// (regenerate: `node dist/src/guard/events/write-schema.js`). Code that needs the schema at run
// time (the fleet server serving it) calls `riskEventJsonSchema()`: tsc does not copy .json files
// to dist/, and the npm package ships only dist/src.

export const RISK_EVENT_SCHEMA_ID = `urn:modem-medic:risk-event:${EVENT_SCHEMA_VERSION}`;

export type JsonSchema = { readonly [key: string]: unknown };

function fieldSchema(field: Field): JsonSchema {
  switch (field.kind) {
    case 'string':
      return {
        type: 'string',
        description: field.description,
        ...(field.minLength === undefined ? {} : { minLength: field.minLength }),
        maxLength: field.maxLength,
        ...(field.pattern === undefined ? {} : { pattern: field.pattern }),
        ...(field.format === undefined ? {} : { format: field.format }),
      };
    case 'integer':
    case 'number':
      return { type: field.kind, description: field.description, minimum: field.minimum, maximum: field.maximum };
    case 'boolean':
      return { type: 'boolean', description: field.description };
    case 'enum':
      return { type: 'string', description: field.description, enum: [...field.values] };
  }
}

function objectSchema(fields: FieldTable, description: string): JsonSchema {
  const names = Object.keys(fields);
  return {
    type: 'object',
    description,
    required: names.filter((name) => fields[name]?.optional !== true),
    properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, fieldSchema(field)])),
    additionalProperties: false,
  };
}

export function riskEventJsonSchema(): JsonSchema {
  const envelope = objectSchema(envelopeFields, '');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: RISK_EVENT_SCHEMA_ID,
    title: 'modem-medic risk event',
    description:
      'One event recorded by `medic guard` in its risk journal and sent to `medic fleet serve`. ' +
      'A unit\'s events are identified by (unit, seq); bootSession groups them by module boot. ' +
      'Unknown fields are refused: a new field is a new schema version or an optional field added here first.',
    type: 'object',
    required: [...(envelope['required'] as string[]), 'type', 'data'],
    properties: {
      ...(envelope['properties'] as JsonSchema),
      type: { type: 'string', description: 'the event type; selects the shape of data', enum: [...eventTypeNames] },
      data: { type: 'object', description: 'type-specific data, see $defs' },
    },
    additionalProperties: false,
    oneOf: eventTypeNames.map((name) => ({
      properties: { type: { const: name }, data: { $ref: `#/$defs/${name}` } },
    })),
    $defs: Object.fromEntries(eventTypeNames.map((name) => [name, objectSchema(eventTypes[name].data, eventTypes[name].description)])),
  };
}

/** The schema as the committed file holds it: two-space JSON and a final newline. */
export function riskEventJsonSchemaText(): string {
  return `${JSON.stringify(riskEventJsonSchema(), null, 2)}\n`;
}
