/**
 * A batch job instrumented with the OpenTelemetry JS SDK and nothing of runlog's: where its logs go,
 * with which token and for which run is configuration (the SDK's standard environment variables,
 * OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, OTEL_EXPORTER_OTLP_LOGS_HEADERS, OTEL_RESOURCE_ATTRIBUTES); the job
 * only emits records, some carrying runlog's lifecycle attributes. Run as its own process, as a job
 * runs (the exporters load node's http by dynamic import, which jest's module sandbox cannot do).
 *
 *   node otel-job.js <json|protobuf> <phases|retry>
 * It prints what it emitted as one JSON line when the provider has shut down (every export settled).
 */
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { trace, ROOT_CONTEXT } = require('@opentelemetry/api');
const { detectResources, envDetector } = require('@opentelemetry/resources');
const { BatchLogRecordProcessor, LoggerProvider } = require('@opentelemetry/sdk-logs');

const [encoding, mode] = process.argv.slice(2);
const { OTLPLogExporter } =
  encoding === 'protobuf' ? require('@opentelemetry/exporter-logs-otlp-proto') : require('@opentelemetry/exporter-logs-otlp-http');

const provider = new LoggerProvider({
  resource: detectResources({ detectors: [envDetector] }),
  processors: [new BatchLogRecordProcessor(new OTLPLogExporter(), { scheduledDelayMillis: 20, maxExportBatchSize: 40 })],
});
const logger = provider.getLogger('nightly-import');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SEVERITY = { info: SeverityNumber.INFO, warning: SeverityNumber.WARN, error: SeverityNumber.ERROR };
const emitted = [];
const base = Date.now(); // a Date below: the SDK reads a number smaller than its time origin as performance.now()

function emit(message, level, phase, attributes = {}, context) {
  const time = base + emitted.length; // a millisecond apart: each record's time is its own
  logger.emit({ body: message, severityNumber: SEVERITY[level], timestamp: new Date(time), context, attributes: { ...(phase ? { 'runlog.phase': phase } : {}), ...attributes } });
  emitted.push({ message, level, phase, timestamp: new Date(time).toISOString() });
}

async function phases() {
  for (const phase of ['extract', 'transform', 'load']) {
    for (let i = 0; i < 60; i += 1) emit(`${phase} row ${i} ✓`, i % 20 === 7 ? 'warning' : i % 30 === 11 ? 'error' : 'info', phase);
    emit(`${phase} done`, 'info', phase, { 'runlog.phase.status': 'completed', 'runlog.phase.completed_jobs': 60, 'runlog.phase.failed_jobs': 0 });
    await sleep(300); // the job's work between phases; the processor exports meanwhile
  }
  emit('import finished', 'info', 'load', { 'runlog.run.status': 'completed' });
}

async function retry() {
  const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
  for (let i = 0; i < 30; i += 1) emit(`line ${i}`, 'info', null, { 'log.record.uid': `uid-${i}` }, context);
}

(mode === 'retry' ? retry() : phases())
  .then(() => provider.shutdown())
  .then(() => process.stdout.write(`${JSON.stringify(emitted)}\n`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
