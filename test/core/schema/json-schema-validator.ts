// A small JSON Schema (draft 2020-12) validator for the keywords goodput's generated schema uses,
// written for the tests so that they check the shipped schema with an independent implementation.
// An unknown keyword is an error: the validator must never pass a document it did not check.

type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description', 'default', '$comment']);

export function validateJsonSchema(root: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  const resolveRef = (ref: string): Schema => {
    const m = /^#\/\$defs\/(.+)$/.exec(ref);
    const defs = root.$defs as Record<string, Schema> | undefined;
    const target = m === null ? undefined : defs?.[m[1] as string];
    if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
  const typeOk = (t: string, v: unknown): boolean => {
    switch (t) {
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      case 'array':
        return Array.isArray(v);
      case 'string':
        return typeof v === 'string';
      case 'number':
        return typeof v === 'number' && Number.isFinite(v);
      case 'integer':
        return typeof v === 'number' && Number.isInteger(v);
      case 'boolean':
        return typeof v === 'boolean';
      case 'null':
        return v === null;
      default:
        throw new Error(`unknown type ${t}`);
    }
  };
  const check = (schema: Schema, v: unknown, path: string): boolean => {
    if (schema === true) return true;
    if (schema === false) {
      errors.push(`${path}: no value allowed`);
      return false;
    }
    let ok = true;
    const fail = (msg: string) => {
      errors.push(`${path || '(root)'}: ${msg}`);
      ok = false;
    };
    for (const [kw, arg] of Object.entries(schema)) {
      if (ANNOTATIONS.has(kw)) continue;
      switch (kw) {
        case '$ref':
          if (!check(resolveRef(arg as string), v, path)) ok = false;
          break;
        case 'type': {
          const types = Array.isArray(arg) ? (arg as string[]) : [arg as string];
          if (!types.some((t) => typeOk(t, v))) fail(`expected ${types.join('|')}`);
          break;
        }
        case 'properties':
          if (typeOk('object', v)) {
            for (const [k, s] of Object.entries(arg as Record<string, Schema>)) {
              const obj = v as Record<string, unknown>;
              if (k in obj && !check(s, obj[k], `${path}.${k}`)) ok = false;
            }
          }
          break;
        case 'required':
          if (typeOk('object', v))
            for (const k of arg as string[]) if (!(k in (v as object))) fail(`missing ${k}`);
          break;
        case 'additionalProperties':
          if (typeOk('object', v)) {
            const known = new Set(Object.keys((schema.properties as object | undefined) ?? {}));
            for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
              if (!known.has(k) && !check(arg as Schema, item, `${path}.${k}`)) ok = false;
            }
          }
          break;
        case 'propertyNames':
          if (typeOk('object', v))
            for (const k of Object.keys(v as object))
              if (!check(arg as Schema, k, `${path}{${k}}`)) ok = false;
          break;
        case 'items':
          if (Array.isArray(v)) {
            for (const [i, item] of v.entries()) if (!check(arg as Schema, item, `${path}[${i}]`)) ok = false;
          }
          break;
        case 'enum':
          if (!(arg as unknown[]).some((e) => e === v)) fail(`not one of ${JSON.stringify(arg)}`);
          break;
        case 'const':
          if (arg !== v) fail(`not ${JSON.stringify(arg)}`);
          break;
        case 'minimum':
          if (typeof v === 'number' && v < (arg as number)) fail(`below ${arg}`);
          break;
        case 'maximum':
          if (typeof v === 'number' && v > (arg as number)) fail(`above ${arg}`);
          break;
        case 'exclusiveMinimum':
          if (typeof v === 'number' && v <= (arg as number)) fail(`not above ${arg}`);
          break;
        case 'pattern':
          if (typeof v === 'string' && !new RegExp(arg as string, 'u').test(v)) fail(`does not match ${arg}`);
          break;
        case 'anyOf': {
          const before = errors.length;
          const any = (arg as Schema[]).some((s) => {
            const mark = errors.length;
            const r = check(s, v, path);
            errors.length = mark;
            return r;
          });
          errors.length = before;
          if (!any) fail('matches no anyOf branch');
          break;
        }
        default:
          throw new Error(`validator does not support keyword ${kw}`);
      }
    }
    return ok;
  };
  check(root, value, '');
  return errors;
}
