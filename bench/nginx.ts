/**
 * The nginx processes of the benchmark, each with one worker and its own prefix
 * under the run directory: the static upstream (answers Mautic's 43-byte
 * tracking GIF from a file; informational) and the anchor proxies (nginx in
 * front of an upstream, with a keep-alive upstream pool, like the gateway).
 *
 * The anchor proxy does the gateway's logging work: one JSON line per request
 * (`escape=json`, fields like the gateway's decision line), buffered 4 KiB at a
 * time and written to /dev/null, as the gateway's stdout is in the benchmark
 * (gateway.ts). The proxy without a log is an informational row.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, waitForPort } from './processes.ts';
import { TRACKING_GIF } from './tracking-gif.ts';

function common(dir: string): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp-body;
  proxy_temp_path ${dir}/tmp-proxy;
  fastcgi_temp_path ${dir}/tmp-fastcgi;
  uwsgi_temp_path ${dir}/tmp-uwsgi;
  scgi_temp_path ${dir}/tmp-scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
`;
}

function staticConfig(dir: string, port: number): string {
  return `${common(dir)}  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location / {
      default_type image/gif;
      add_header Cache-Control "no-cache=Set-Cookie, private, proxy-revalidate";
      add_header Pragma no-cache;
      try_files /pixel.gif =404;
    }
  }
}
`;
}

/**
 * The fields of the gateway's decision line that nginx knows, in its order and
 * about its length; values from the request are escaped (`escape=json`).
 */
const DECISION_LINE_FORMAT = `log_format decision escape=json '{"level":30,"time":"$time_iso8601","service":"nginx",'
    '"requestId":"$request_id","method":"$request_method","path":"$uri","route":"tracking.pixel","tenant":"$host",'
    '"mode":"legacy","reason":"default","primary":"legacy","upstream":"$upstream_addr","status":$status,'
    '"durationMs":$request_time,"outcome":"complete","msg":"request"}';`;

/** How the anchor proxy logs: a JSON line per request to /dev/null in 4 KiB batches, or not at all. */
export type ProxyLog = 'json' | 'off';

/** The anchor proxy's nginx.conf (exported for its test). */
export function proxyConfig(dir: string, port: number, upstreamPort: number, log: ProxyLog): string {
  // The server's access_log replaces the http block's `off`.
  const format = log === 'json' ? `  ${DECISION_LINE_FORMAT}\n` : '';
  const accessLog = log === 'json' ? '\n    access_log /dev/null decision buffer=4k;' : '';
  return `${common(dir)}${format}  upstream legacy {
    server 127.0.0.1:${upstreamPort};
    keepalive 32;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};${accessLog}
    location / {
      proxy_pass http://legacy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
}
`;
}

async function startNginx(dir: string, config: string, port: number): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), config);
  const child = startChild('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')]);
  await waitForPort(port);
  return child;
}

/** Starts the static upstream on `port`; its files live under `dir`. */
export async function startStaticUpstream(dir: string, port: number): Promise<ChildProcess> {
  mkdirSync(join(dir, 'www'), { recursive: true });
  writeFileSync(join(dir, 'www', 'pixel.gif'), TRACKING_GIF);
  return startNginx(dir, staticConfig(dir, port), port);
}

/** Starts the anchor proxy on `port`, forwarding to 127.0.0.1:`upstreamPort`, with or without its access log. */
export async function startProxy(dir: string, port: number, upstreamPort: number, log: ProxyLog): Promise<ChildProcess> {
  return startNginx(dir, proxyConfig(dir, port, upstreamPort, log), port);
}
