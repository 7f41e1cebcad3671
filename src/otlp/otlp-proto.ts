/**
 * The two OTLP logs messages runlog uses, from the static protobufjs module that
 * @opentelemetry/otlp-transformer generates (pbjs) from the published opentelemetry-proto schema: a
 * maintained codec, not a hand-written one. The package's public API only encodes requests, so the
 * generated module is imported by its path; its typings say only `Root`, so the part used is typed here.
 */
import * as generated from '@opentelemetry/otlp-transformer/build/src/generated/root';

interface RequestType {
  decode(body: Uint8Array): object;
  toObject(message: object, options: object): Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface ResponseType {
  fromObject(object: object): object;
  encode(message: object): { finish(): Uint8Array };
}

const logsV1 = (
  generated as unknown as { opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: RequestType; ExportLogsServiceResponse: ResponseType } } } } } }
).opentelemetry.proto.collector.logs.v1;

export const ExportLogsServiceRequest = logsV1.ExportLogsServiceRequest;
export const ExportLogsServiceResponse = logsV1.ExportLogsServiceResponse;
