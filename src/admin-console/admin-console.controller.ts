/**
 * Serves the admin console at /admin: index.html and its few static files, without a token (the page
 * itself holds no data; every API call it makes carries the signed-in admin's bearer token).
 */
import { Controller, Get, Logger, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { ConsoleAsset, CONSOLE_HEADERS, findConsolePublicDir, loadConsoleAssets } from './console-assets';

@Public()
@ApiExcludeController()
@Controller('admin')
export class AdminConsoleController {
  private readonly logger = new Logger('admin-console');
  private readonly assets: Map<string, ConsoleAsset>;

  constructor() {
    const dir = findConsolePublicDir();
    if (!dir) this.logger.warn('admin console files not found (src/admin-console/public); /admin will answer 404');
    this.assets = dir ? loadConsoleAssets(dir) : new Map();
  }

  @Get()
  index(@Req() req: Request, @Res() res: Response): void {
    this.send('index.html', req, res);
  }

  @Get(':file')
  file(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    this.send(file, req, res);
  }

  private send(name: string, req: Request, res: Response): void {
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundException(`no console file ${JSON.stringify(name)}`);
    res.set(CONSOLE_HEADERS);
    res.setHeader('ETag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).type(asset.contentType).send(asset.body);
  }
}
