import { decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp-decoder';
import { levelOf, mapRecord } from './otlp-mapping';

const request = {
  resourceLogs: [{
    resource: { attributes: [{ key: 'runlog.batch_run_id', value: { stringValue: 'otlp-1' } }, { key: 'runlog.phase', value: { stringValue: 'load' } }] },
    scopeLogs: [{ logRecords: [
      { timeUnixNano: '1764669600123000000', severityNumber: 13, body: { stringValue: 'hello' }, traceId: '0102030405060708090a0b0c0d0e0f10',
        attributes: [{ key: 'runlog.phase.status', value: { stringValue: 'completed' } }, { key: 'runlog.phase.completed_jobs', value: { intValue: '3' } }] },
      { body: { kvlistValue: { values: [{ key: 'a', value: { intValue: '1' } }] } } },
    ] }],
  }],
};

describe('OTLP mapping', () => {
  it('maps an OTLP JSON record: run, level, time, phase, completion', () => {
    const [first, second] = decodeJson(Buffer.from(JSON.stringify(request)));
    expect(first.traceId).toBe('0102030405060708090a0b0c0d0e0f10');
    const mapped = mapRecord(first, 0);
    expect(mapped).toMatchObject({ ok: true, record: { batchRunId: 'otlp-1', entry: { level: 'warning', message: 'hello', timestamp: '2025-12-02T10:00:00.123Z', phase: 'load' }, phaseCompletion: { phase: 'load', status: 'completed', completedJobs: 3 } } });
    expect(mapRecord(second, 5)).toMatchObject({ ok: true, record: { entry: { message: '{"a":1}', level: 'info', timestamp: '1970-01-01T00:00:00.005Z' } } });
  });

  it('rejects a record without the run id, and undecodable bodies', () => {
    const [r] = decodeJson(Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] })));
    expect(mapRecord(r, 0)).toEqual({ ok: false, error: 'the resource attribute runlog.batch_run_id is missing' });
    expect(() => decodeJson(Buffer.from('{'))).toThrow(OtlpDecodeError);
    expect(() => decodeProtobuf(Buffer.from([0xff, 0xff, 0xff]))).toThrow(OtlpDecodeError);
  });

  it('levels: severityNumber ranges, else severityText, else info', () => {
    expect([1, 12, 13, 16, 17, 24].map((n) => levelOf(n, null))).toEqual(['info', 'info', 'warning', 'warning', 'error', 'error']);
    expect([levelOf(null, 'WARN'), levelOf(null, 'Error'), levelOf(null, null)]).toEqual(['warning', 'error', 'info']);
  });
});
