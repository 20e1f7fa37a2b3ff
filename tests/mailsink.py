"""A mail server for fault experiments: speaks just enough SMTP for Django's
smtp backend, writes one JSON line per message it accepts (its Message-ID
and recipients) and can take its time before saying "250 accepted" after
the data, which is the window in which a worker killed mid-send leaves a
message whose fate the sender cannot know.

Run it as a process (`python -m tests.mailsink --port 2525 --log mail.jsonl
--delay 2`) or in a thread (`MailSink(...).start()`) in a test."""

import argparse
import json
import re
import socketserver
import threading
import time
from pathlib import Path

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


class _Handler(socketserver.StreamRequestHandler):
    def _send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sink: MailSink = self.server.sink
        self._send("220 mailsink ready")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.strip().decode(errors="replace")
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._send("250 mailsink")
            elif verb == "MAIL":
                recipients = []
                self._send("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[-1].strip(" <>"))
                self._send("250 ok")
            elif verb == "DATA":
                self._send("354 go on")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in {b".\r\n", b".\n"}:
                        break
                    data += chunk
                found = MESSAGE_ID.search(data)
                # The message is ours once the data is in: it is recorded
                # before the (possibly slow) answer, as a real server that
                # queued it and then stalled would deliver it anyway.
                sink.record(found.group(1).decode() if found else "", recipients)
                if sink.delay:
                    time.sleep(sink.delay)
                self._send("250 accepted")
            elif verb == "RSET":
                self._send("250 ok")
            elif verb == "QUIT":
                self._send("221 bye")
                return
            else:
                self._send("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class MailSink:
    def __init__(self, port: int = 0, log: Path | None = None, delay: float = 0.0):
        self.delay = delay
        self.log = log
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]

    def record(self, message_id: str, recipients: list[str]) -> None:
        entry = {"message_id": message_id, "to": recipients, "at": time.time()}
        with self._lock:
            self.messages.append(entry)
            if self.log:
                with open(self.log, "a") as out:
                    out.write(json.dumps(entry) + "\n")

    def start(self) -> "MailSink":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    sink = MailSink(args.port, args.log, args.delay)
    try:
        sink._server.serve_forever()
    except KeyboardInterrupt:
        pass
