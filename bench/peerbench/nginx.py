"""The peer that does the routed hop's job (issue 15, target 5): nginx balancing each request over two
single Node processes (bench/peers/server.js), as a Node shop would put it in front of its app — the
least-busy upstream per request (`least_conn`), kept-alive upstream connections, and a failed or
timed-out request sent to the other upstream (`proxy_next_upstream`), like Overseer's router.

nginx runs in the foreground with its own prefix and config in a temp dir (its master process is the
supervisor here; it does not restart a dead Node process, so this system takes part only in the
throughput scenario). Everything is stopped by pid."""
import os
import shutil
import subprocess
import tempfile
import time

from supervision import free_port  # reused, not copied

from .load import probe, wait_for
from .settings import NGINX, NGINX_KEEPALIVE, NGINX_WORKERS, PEER_TRIVIAL, SERVER_JS, START_TIMEOUT, WORKERS
from .systems import STARTED, kill_if_ours, peers_ready, terminate

CONFIG = """\
# Written by bench/peerbench/nginx.py for one benchmark run.
{user}
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  upstream app {{
    least_conn;
    zone app 64k;   # the workers share the upstreams' state (connections, failures)
{servers}
    keepalive {keepalive};
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 2;
    }}
  }}
}}
"""


class NginxNode:
    """nginx (`least_conn`, keep-alive upstreams, `proxy_next_upstream`) in front of WORKERS single
    Node processes running bench/peers/server.js."""

    def __init__(self):
        self.trivial = PEER_TRIVIAL
        self.dir = tempfile.mkdtemp(prefix="overseer-peers-nginx-")
        self.port = free_port()
        self.seen = set()
        self.nodes = []
        self.log_file = open(os.path.join(self.dir, "nodes.log"), "w")
        STARTED.append(self)
        self.started = time.monotonic()
        upstream_ports = [free_port() for _ in range(WORKERS)]
        for p in upstream_ports:
            env = dict(os.environ, PORT=str(p))
            self.nodes.append(subprocess.Popen(["node", SERVER_JS], stdout=self.log_file,
                                               stderr=subprocess.STDOUT, env=env))
        # nginx counts a refused connect as a failure and takes the upstream out for 10 s: start it
        # once the Node processes listen, as a deployment would.
        for p in upstream_ports:
            wait_for(lambda: probe(p, self.trivial)[0] == 200, START_TIMEOUT, f"node on {p}")
        config = os.path.join(self.dir, "nginx.conf")
        with open(config, "w") as f:
            f.write(CONFIG.format(
                # as root, nginx's workers would switch to a user who cannot write this temp dir
                user="user root;" if os.geteuid() == 0 else "",
                workers=NGINX_WORKERS, dir=self.dir, port=self.port, keepalive=NGINX_KEEPALIVE,
                servers="\n".join(f"    server 127.0.0.1:{p};" for p in upstream_ports)))
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-c", config, "-g", "daemon off;"],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for(lambda: probe(self.port, self.trivial)[0] == 200, START_TIMEOUT, "nginx first answer")
        self.first_ok = time.monotonic() - self.started
        wait_for(self.ready, START_TIMEOUT, "nginx's node processes ready")

    def worker_pids(self):
        pids = [n.pid for n in self.nodes if n.poll() is None]
        self.seen.update(pids)
        return pids

    def supervisor_pid(self):
        return self.proc.pid

    def ready(self):
        return peers_ready(self)

    def stop(self):
        terminate(self.proc)   # nginx's master ends its own workers on SIGTERM
        for n in self.nodes:
            terminate(n)
        for pid in self.seen:
            kill_if_ours(pid, "node")
        self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)
