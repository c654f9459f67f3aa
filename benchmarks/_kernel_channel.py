"""One kernel over the Jupyter server's websocket, spoken to as a browser front-end would.

Used by ``classroom_load.py``: ``execute_request`` per code cell, widget ``comm_msg`` updates
(a slider moved), ipympl's custom messages (``initialized``, the device pixel ratio, ``draw``
answered), and every new picture of an app (an ipympl frame or a new Image value) queued with
its arrival time.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid


def _decode(raw: str | bytes) -> tuple[dict, list[bytes]]:
    """A websocket frame -> (message, buffers); binary frames carry buffers (legacy format)."""
    if isinstance(raw, str):
        return json.loads(raw), []
    n = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(n)]
    parts = [raw[a:b] for a, b in zip(offsets, [*offsets[1:], len(raw)], strict=True)]
    return json.loads(parts[0]), parts[1:]


class KernelChannel:
    def __init__(self, ws, session: str) -> None:
        self.ws = ws
        self.session = session
        self.comms: dict[str, dict] = {}  # comm id -> widget state at comm_open
        # every new picture: (arrival time, comm id, PNG width; None for an ipympl frame)
        self.frames: asyncio.Queue = asyncio.Queue()
        self.waiters: dict[str, asyncio.Future] = {}
        self.errors: list[str] = []
        self.moves = 0
        self.reader = asyncio.ensure_future(self._read())

    def _msg(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": "bench", "session": self.session,
                  "msg_type": msg_type, "version": "5.3", "date": ""}  # fmt: skip
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content,
                "channel": channel, "buffers": []}  # fmt: skip

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                return
            msg, buffers = _decode(raw)
            kind = msg["header"]["msg_type"]
            content = msg["content"]
            parent = msg.get("parent_header", {}).get("msg_id")
            if kind == "comm_open":
                self.comms[content["comm_id"]] = content.get("data", {}).get("state", {})
            elif kind == "comm_msg":
                data = content.get("data", {})
                inner = (
                    data.get("content", {}).get("data") if data.get("method") == "custom" else None
                )
                if inner:
                    kind_inner = json.loads(inner).get("type")
                    if kind_inner == "draw":  # ipympl asks the front-end: draw now?
                        await self.custom(content["comm_id"], {"type": "draw"})
                    elif kind_inner == "binary":
                        self.frames.put_nowait((time.perf_counter(), content["comm_id"], None))
                elif (
                    data.get("method") == "update"
                    and ["value"] in data.get("buffer_paths", [])
                    and buffers
                    and self.comms.get(content["comm_id"], {}).get("_model_name") == "ImageModel"
                ):  # a new picture in the app's Image: its width from the PNG header
                    png = buffers[data["buffer_paths"].index(["value"])]
                    if len(png) > 24:
                        width = int.from_bytes(png[16:20], "big")
                        self.frames.put_nowait((time.perf_counter(), content["comm_id"], width))
            elif kind == "error":
                self.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif kind == "status" and content.get("execution_state") == "idle":
                fut = self.waiters.pop(parent, None)
                if fut is not None and not fut.done():
                    fut.set_result(time.perf_counter())

    async def request(self, msg: dict, timeout: float) -> float:
        fut = asyncio.get_running_loop().create_future()
        self.waiters[msg["header"]["msg_id"]] = fut
        await self.ws.write_message(json.dumps(msg))
        return await asyncio.wait_for(fut, timeout)

    async def execute(self, code: str, timeout: float = 600) -> float:
        content = {"code": code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}  # fmt: skip
        msg = self._msg("execute_request", content)
        return await self.request(msg, timeout)

    async def custom(self, comm_id: str, content: dict) -> None:
        data = {"method": "custom", "content": content}
        await self.ws.write_message(
            json.dumps(self._msg("comm_msg", {"comm_id": comm_id, "data": data}))
        )

    async def set_value(self, comm_id: str, value: float, timeout: float = 60) -> float:
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        return await self.request(
            self._msg("comm_msg", {"comm_id": comm_id, "data": data}), timeout
        )

    def canvases(self) -> list[str]:
        return [c for c, s in self.comms.items() if s.get("_model_name") == "MPLCanvasModel"]

    def images(self) -> list[str]:
        return [c for c, s in self.comms.items() if s.get("_model_name") == "ImageModel"]

    def css_width(self, image: str) -> int:
        """The width in CSS pixels an app lays its Image out at (its layout's "960px")."""
        layout = self.comms[image].get("layout", "").removeprefix("IPY_MODEL_")
        return int(float(str(self.comms.get(layout, {}).get("width", "0")).removesuffix("px")))

    def slider(self, hint: str) -> tuple[str, list[float]]:
        """The first float slider whose description contains ``hint``, and values to cycle."""
        for comm_id, s in self.comms.items():
            name = s.get("_model_name", "")
            if (
                name in ("FloatSliderModel", "FloatLogSliderModel")
                and hint in s.get("description", "").lower()
            ):
                lo, hi = s["min"], s["max"]
                steps = [lo + (hi - lo) * k / 7 for k in range(8)]
                if name == "FloatLogSliderModel":
                    steps = [s.get("base", 10) ** e for e in steps]
                return comm_id, steps
        raise RuntimeError(f"no float slider with {hint!r} in its description")

    async def close(self) -> None:
        self.reader.cancel()
        self.ws.close()
