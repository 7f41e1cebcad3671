import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';

/** No request body of the API nests deeper than a few levels; 32 leaves room and bounds the work. */
export const MAX_JSON_DEPTH = 32;

/**
 * A parsed JSON body nested deeper than MAX_JSON_DEPTH is a 400. JSON.parse accepts any depth, but
 * the ValidationPipe (class-transformer, class-validator) walks a body recursively: a 5 MiB body of
 * `[[[[...` overflowed the stack and answered 500. Runs after AuthGuard (global) and before the pipes.
 */
@Injectable()
export class JsonDepthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      throw new BadRequestException(`the request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`);
    }
    return true;
  }
}

/** Iterative (a recursive walk would overflow on the very input it guards against). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
