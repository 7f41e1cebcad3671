/**
 * POST /v1/logs: the OTLP/HTTP logs endpoint, at the path every OpenTelemetry exporter and Collector
 * appends to its base URL, so `url: http://host:3000/v1/logs` is all a job configures. Its contract is
 * OTLP's own (opentelemetry-proto, ExportLogsServiceRequest/Response), not this API's OpenAPI document.
 * Errors (400 undecodable, 401/403, 413, 415, 503 with Retry-After) are runlog's JSON error shape.
 */
import { BadRequestException, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { Clock } from '../common/clock';
import { MALFORMED_OTLP } from '../http/error-body';
import { decodeJson, decodeProtobuf, OtlpDecodeError, OtlpRecord } from './otlp-decoder';
import { OTLP_MEDIA_TYPES, OtlpBodyGuard, OtlpEncoding } from './otlp-body.guard';
import { OtlpReceiver } from './otlp-receiver';
import { encodeResponse } from './otlp-response';

@ApiExcludeController()
@Roles('service', 'admin')
@UseGuards(OtlpBodyGuard) // after AuthGuard (global): a body is read only for an allowed caller
@Controller('v1/logs')
export class OtlpLogsController {
  constructor(
    private readonly receiver: OtlpReceiver,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(200)
  async export(@Req() req: Request & { otlpEncoding: OtlpEncoding; body: Buffer }, @Res() res: Response): Promise<void> {
    const records = decode(req.body, req.otlpEncoding);
    const outcome = await this.receiver.receive(records, this.clock.now().getTime());
    res.status(200).type(OTLP_MEDIA_TYPES[req.otlpEncoding]).end(encodeResponse(outcome, req.otlpEncoding));
  }
}

function decode(body: Buffer, encoding: OtlpEncoding): OtlpRecord[] {
  try {
    return encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw new BadRequestException({ message: `not an OTLP logs request: ${error.message}`, code: MALFORMED_OTLP });
    throw error;
  }
}
