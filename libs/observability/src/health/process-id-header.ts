import { Request, Response } from 'express';

/**
 * Who answers a probe: a supervisor on the same machine (tools/system) counts an app as up only when
 * the answer comes from the process it started, not from another one that holds the port. Only a
 * caller on loopback is told: a pid is of no use to anyone else (probes from the kubelet or through
 * the ingress come from other addresses).
 */
export const PROCESS_ID_HEADER = 'X-Process-Id';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function nameProcessToLocalCaller(request: Request, response: Response): void {
  if (LOOPBACK.test(request.socket.remoteAddress ?? '')) response.setHeader(PROCESS_ID_HEADER, String(process.pid));
}
