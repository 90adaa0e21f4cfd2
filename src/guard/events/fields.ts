// A tiny declaration language for event fields, so each event's data is written once and the
// TypeScript type, the JSON Schema branch and the validator all come from that one declaration
// (ya-webadb's struct idea, ecosystem-aesthetics.md §3.1). Only what the risk events need.

export interface StringField {
  readonly kind: 'string';
  readonly description: string;
  readonly minLength?: number;
  readonly maxLength: number;
  /** An ECMAScript regular expression the whole value must match (anchor it). */
  readonly pattern?: string;
  /** `date-time` is RFC 3339 (what `Date.prototype.toISOString` writes). */
  readonly format?: 'date-time';
  readonly optional?: true;
}

export interface IntegerField {
  readonly kind: 'integer';
  readonly description: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly optional?: true;
}

export interface NumberField {
  readonly kind: 'number';
  readonly description: string;
  readonly minimum: number;
  readonly maximum: number;
  readonly optional?: true;
}

export interface BooleanField {
  readonly kind: 'boolean';
  readonly description: string;
  readonly optional?: true;
}

export interface EnumField<V extends string = string> {
  readonly kind: 'enum';
  readonly description: string;
  readonly values: readonly V[];
  readonly optional?: true;
}

export type Field = StringField | IntegerField | NumberField | BooleanField | EnumField;
export type FieldTable = Readonly<Record<string, Field>>;

/** The value a field holds. */
export type ValueOf<F extends Field> = F extends EnumField<infer V>
  ? V
  : F extends BooleanField
    ? boolean
    : F extends StringField
      ? string
      : number;

type RequiredKeys<T extends FieldTable> = { [K in keyof T]: T[K] extends { optional: true } ? never : K }[keyof T];
type OptionalKeys<T extends FieldTable> = Exclude<keyof T, RequiredKeys<T>>;

/** The object a field table describes: required fields required, optional ones optional. */
export type ObjectOf<T extends FieldTable> = { readonly [K in RequiredKeys<T>]: ValueOf<T[K]> } & {
  readonly [K in OptionalKeys<T>]?: ValueOf<T[K]>;
};

// Builders. Strings always have a maximum length: the fleet server refuses oversized messages (#6),
// and a bound in the schema is where that limit is documented.

export function text(description: string, maxLength = 200, minLength = 1): StringField {
  return { kind: 'string', description, minLength, maxLength };
}

export function matching(description: string, pattern: string, maxLength: number): StringField {
  return { kind: 'string', description, minLength: 1, maxLength, pattern };
}

export function dateTime(description: string): StringField {
  return { kind: 'string', description, minLength: 20, maxLength: 40, format: 'date-time' };
}

export function integer(description: string, minimum: number, maximum: number): IntegerField {
  return { kind: 'integer', description, minimum, maximum };
}

export function decimal(description: string, minimum: number, maximum: number): NumberField {
  return { kind: 'number', description, minimum, maximum };
}

export function flag(description: string): BooleanField {
  return { kind: 'boolean', description };
}

export function oneOf<const V extends string>(description: string, values: readonly V[]): EnumField<V> {
  return { kind: 'enum', description, values };
}

export function optional<F extends Field>(field: F): F & { readonly optional: true } {
  return { ...field, optional: true };
}
