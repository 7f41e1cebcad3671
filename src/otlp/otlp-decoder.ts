/**
 * ExportLogsServiceRequest, protobuf or OTLP JSON, into one flat list of records in request order.
 * Protobuf is decoded by the generated opentelemetry-proto module (otlp-proto.ts).
 */
import { ExportLogsServiceRequest } from './otlp-proto';

export type OtlpValue = string | number | boolean | null | OtlpValue[] | { [key: string]: OtlpValue };

export interface OtlpRecord {
  resource: Record<string, OtlpValue>;
  attributes: Record<string, OtlpValue>;
  /** undefined: no body. */
  body: OtlpValue | undefined;
  timeUnixNano: string | null;
  observedTimeUnixNano: string | null;
  severityNumber: number | null;
  severityText: string | null;
  traceId: string | null;
  spanId: string | null;
}

export class OtlpDecodeError extends Error {}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function decodeProtobuf(body: Buffer): OtlpRecord[] {
  let message;
  try {
    message = ExportLogsServiceRequest.decode(body);
  } catch (error) {
    throw new OtlpDecodeError(`not an ExportLogsServiceRequest: ${(error as Error).message}`);
  }
  // longs as decimal strings, as in the JSON encoding; bytes stay bytes (hex below).
  const object = ExportLogsServiceRequest.toObject(message, { longs: String, enums: Number });
  return flatten(object, 'protobuf');
}

export function decodeJson(body: Buffer): OtlpRecord[] {
  let object: unknown;
  try {
    object = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${(error as Error).message}`);
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new OtlpDecodeError('the body must be a JSON object');
  return flatten(object as Obj, 'json');
}

function list(value: unknown, what: string): Obj[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${what} must be an array`);
  return value.map((v) => {
    if (typeof v !== 'object' || v === null) throw new OtlpDecodeError(`${what} must hold objects`);
    return v as Obj;
  });
}

function flatten(request: Obj, encoding: 'protobuf' | 'json'): OtlpRecord[] {
  const records: OtlpRecord[] = [];
  for (const resourceLogs of list(request.resourceLogs, 'resourceLogs')) {
    const resource = attributes(resourceLogs.resource?.attributes);
    for (const scopeLogs of list(resourceLogs.scopeLogs, 'scopeLogs')) {
      for (const r of list(scopeLogs.logRecords, 'logRecords')) {
        records.push({
          resource,
          attributes: attributes(r.attributes),
          body: r.body === undefined || r.body === null ? undefined : (anyValue(r.body) ?? undefined), // an AnyValue with no value set is no body
          timeUnixNano: nanos(r.timeUnixNano),
          observedTimeUnixNano: nanos(r.observedTimeUnixNano),
          severityNumber: typeof r.severityNumber === 'number' && r.severityNumber > 0 ? r.severityNumber : null,
          severityText: typeof r.severityText === 'string' && r.severityText !== '' ? r.severityText : null,
          traceId: id(r.traceId, encoding),
          spanId: id(r.spanId, encoding),
        });
      }
    }
  }
  return records;
}

function attributes(value: unknown): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const kv of list(value, 'attributes')) {
    if (typeof kv.key === 'string') out[kv.key] = kv.value === undefined || kv.value === null ? null : anyValue(kv.value);
  }
  return out;
}

function anyValue(v: Obj): OtlpValue {
  if (typeof v !== 'object' || v === null) throw new OtlpDecodeError('an AnyValue must be an object');
  if (v.stringValue !== undefined && v.stringValue !== null) return String(v.stringValue);
  if (v.boolValue !== undefined && v.boolValue !== null) return Boolean(v.boolValue);
  if (v.intValue !== undefined && v.intValue !== null) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if (v.doubleValue !== undefined && v.doubleValue !== null) return Number(v.doubleValue);
  if (v.arrayValue) return list(v.arrayValue.values, 'arrayValue.values').map(anyValue);
  if (v.kvlistValue) return attributes(v.kvlistValue.values);
  if (v.bytesValue !== undefined && v.bytesValue !== null) {
    return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue).toString('base64');
  }
  return null;
}

function nanos(value: unknown): string | null {
  if (value === undefined || value === null || value === '' || value === '0' || value === 0) return null;
  const s = String(value);
  if (!/^\d{1,20}$/.test(s)) throw new OtlpDecodeError(`a time must be an unsigned integer of nanoseconds, not ${JSON.stringify(value)}`);
  return s;
}

/** Trace and span ids: bytes in protobuf, hex strings in OTLP JSON; all-zero or empty is "none". */
function id(value: unknown, encoding: 'protobuf' | 'json'): string | null {
  if (value === undefined || value === null) return null;
  let hex: string;
  if (encoding === 'json') {
    if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(value)) throw new OtlpDecodeError('traceId and spanId must be hex strings');
    hex = value.toLowerCase();
  } else {
    hex = Buffer.from(value as Uint8Array).toString('hex');
  }
  return hex === '' || /^0+$/.test(hex) ? null : hex;
}
