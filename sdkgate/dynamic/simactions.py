"""Playing the app model's actions on the running app process (SimulatedDevice mixes this in): reads,
sends, permission requests and results, markers, clicks, side-channel verbs, loaded code, crashes."""
from __future__ import annotations

import time
from typing import Any

from ..apitable import by_id
from ..scenario.backend import StepFailed, StepOutcome, TargetDied
from .appmodel import Action
from .sends import build_request
from .sideverbs import SIDE_VERBS, perform
from .simstate import side_category, value_text
from ..i18n import exc_text, failure, msg


class ActionPlayer:
    """Mixed into SimulatedDevice: needs `model`, `rt`, `ctx`, `storage`, `stacks`, `pending`, `_http`,
    and the input verbs and special reads of siminput.InputPlayer."""

    def _play(self, block: str, trigger: str, *, scope: str | None = None, detail_name: str = "",
              t_ms: float | None = None, detail: str = "") -> StepOutcome:
        if t_ms is None:
            t_ms = self._now()           # the step lands before the app reacts to it
        actions = (self.model.feature_blocks.get(detail_name, []) if block == "feature"
                   else self.model.blocks.get(block, []))
        notes: list[str] = []
        for a in actions:
            if block.startswith("consent_") and (a.scope or "policy") != scope:
                continue
            self._act(a, trigger, detail_name, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        if self.procs is not None:
            self.procs.flush()
            self.procs.poll()
        return StepOutcome(t_ms=t_ms, detail="; ".join([detail] + notes if detail else notes))

    def _applies(self, a: Action) -> bool:
        st = self.storage.consent
        pol = st.get("policy")
        if a.when == "consented":
            ok = pol == "granted" and (a.scope is None or st.get(a.scope) == "granted")
        elif a.when == "not_consented":
            ok = pol != "granted"
        elif a.when == "declined":
            ok = pol == "declined"
        elif a.when == "withdrawn":
            ok = pol == "withdrawn"
        elif a.when == "refused":
            ok = pol in ("declined", "withdrawn")
        else:
            ok = True
        if ok and a.if_granted:
            ok = a.if_granted in self.storage.granted
        return ok

    def _act(self, a: Action, trigger: str, detail: str, notes: list[str]) -> None:
        if not self._applies(a):
            return
        if self.rt is None:
            raise StepFailed(msg("the app process is gone"))
        if a.process and a.process != self.model.package or a.verb == "start_process":
            from .simprocesses import act_in_process  # noqa: PLC0415
            act_in_process(self, a, trigger, detail, notes)
            return
        self._act_here(a, trigger, detail, notes)

    def _act_here(self, a: Action, trigger: str, detail: str, notes: list[str]) -> None:
        thread = a.thread or (self.model.sdks[a.by].thread if a.by in self.model.sdks else "main")
        for _ in range(a.repeat):
            if a.verb == "read":
                api = by_id()[a.api_id]
                # the runtime puts the API's own frame on top, as ART shows a hooked method
                stack = self.stacks.build(a, None, trigger, detail, thread)
                result = self._read(a, stack, thread, list(a.args) if a.args else None)
                value = value_text(result)
                if api.category and value:
                    self.storage.values[api.category] = value
            elif a.verb == "send":
                self._send(a, notes)
            elif a.verb == "request_permission":
                self._request(a, trigger, detail, thread, notes)
            elif a.verb == "write_marker":
                self._marker(a, trigger, detail, thread)
            elif a.verb == "click_consent":    # app code calls performClick() on its own consent button
                self.rt.click(a.click, self.stacks.build(a, None, trigger, detail, thread), thread=thread)
            elif a.verb in ("fake_input", "user_input"):
                self._input(a, trigger, detail, thread)
            elif a.verb == "load_class":
                self._load_class(a, self.stacks.build(a, None, trigger, detail, thread), thread)
            elif a.verb in SIDE_VERBS:
                stack = self.stacks.build(a, None, trigger, detail, thread)
                try:
                    value = perform(self.rt, a.verb, a.side, stack, thread, self._sdk_lib(a.by))
                except self._simruntime.JavaThrow:
                    value = None
                cat = side_category(a)
                if cat and isinstance(value, str) and value:
                    self.storage.values[cat] = value
            elif a.verb == "sleep":
                time.sleep(a.sleep_ms / 1000.0)
            elif a.verb == "load_code":
                from .simloading import load_code  # noqa: PLC0415
                load_code(self, a, self.stacks.build(a, None, trigger, detail, thread), thread)
            elif a.verb == "crash":
                t = self._now()
                pid, process = self.rt.pid, self.rt.process
                self.rt.crash()
                self._close_process()
                raise TargetDied(msg("app crashed: {reason}", reason=str(a.reason)), t, process, pid)

    def _sdk_lib(self, sdk: str) -> str | None:
        """The SDK's native library name (catalogue `native_libs`), for native verbs without `lib`."""
        row = self.ctx.manifest.catalogue().sdks.get(sdk) if self.ctx and self.ctx.manifest else None
        # a catalogue glob (libjcore*.so) names a family: the simulated library takes its plainest member
        return row.native_libs[0].replace("*", "") if row is not None and row.native_libs else None

    def _call(self, api_id: str, stack: list[str], thread: str, args: list, this: dict | None = None,
              overload: int = 0) -> Any:
        try:
            return self.rt.call(api_id, stack, thread=thread, args=args, this=this, overload=overload)
        except self._simruntime.JavaThrow:
            return None          # the app catches the SecurityException and goes on
        except Exception as exc:  # noqa: BLE001
            self._check_alive()
            raise StepFailed(msg("simulated call {api} failed: {error}", api=api_id,
                                 error=failure(exc))) from None

    def _send(self, a: Action, notes: list[str]) -> None:
        spec = a.send
        assert spec is not None
        if self._http is None:
            notes.append(f"send to {spec.host} skipped: no proxy")
            return
        from .simsend import needs_socket_path, play_send  # noqa: PLC0415
        if needs_socket_path(spec.net) or self.network is not None:
            # every send goes out of the app process itself (libc sockets, libssl), so the agent's
            # socket hooks see it; without nss_wrapper only plain proxied HTTP(S) falls back to the host
            if self.network is None:
                raise StepFailed(msg("send to {host}: {transport} sends need nss_wrapper (apt-get install libnss-wrapper) "
                                     "for the simulated resolver", host=spec.host, transport=spec.net.transport))
            try:
                play_send(self, a, notes)
            except OSError as exc:
                raise StepFailed(exc_text(exc)) from None
            return
        url, headers, body, missing = build_request(spec, self.storage.values)
        if missing:
            notes.append(f"send to {spec.host}: the app never read {', '.join(missing)}")
        try:
            resp = self._http.request(spec.method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - the proxy is ours: a failure is lost evidence
            raise StepFailed(msg("send to {url} through the proxy failed: {error}", url=url,
                                 error=failure(exc))) from None
        if resp.status_code >= 500:
            raise StepFailed(msg("send to {url}: proxy answered {status}", url=url, status=resp.status_code))

    def _http_send(self, method: str, url: str, headers: dict, body: bytes | None, http2: bool = False) -> None:
        """An HTTP send through the proxy (simsend.play_send after its transformations)."""
        client = self._http
        if http2:
            import httpx  # noqa: PLC0415
            client = httpx.Client(proxy=self.ctx.proxy.url, verify=str(self.ctx.proxy.ca_path), trust_env=False,
                                  timeout=15.0, http2=True)
        try:
            resp = client.request(method, url, headers=headers, content=body)
        except Exception as exc:  # noqa: BLE001 - the proxy is ours: a failure is lost evidence
            raise StepFailed(msg("send to {url} through the proxy failed: {error}", url=url,
                                 error=failure(exc))) from None
        finally:
            if client is not self._http:
                client.close()
        if resp.status_code >= 500:
            raise StepFailed(msg("send to {url}: proxy answered {status}", url=url, status=resp.status_code))

    def _request(self, a: Action, trigger: str, detail: str, thread: str, notes: list[str]) -> None:
        now_dev = self.ctx.clock.device_ms()
        wanted = [p for p in a.permissions if p not in self.storage.granted]
        if not wanted:
            for t in a.then:
                self._act(t, "permission", detail, notes)
            return
        if a.respect_denial_ms is not None:
            recent = [p for p in wanted if p in self.storage.denied_at
                      and now_dev - self.storage.denied_at[p] < a.respect_denial_ms]
            if recent:
                notes.append(f"not asking again for {', '.join(recent)} (denied recently)")
                return
        stack = self.stacks.build(a, None, trigger, detail, thread)
        self.rt.request_permissions(wanted, stack, api_id=a.api or "perm.activitycompat.requestPermissions", thread=thread)
        for p in wanted:
            self.pending[p] = (a, trigger, detail)
        # the user's standing answers (a permission step that came before the dialog)
        preset = {p: ("granted" if self.storage.answers[p] == "grant" else "denied")
                  for p in wanted if p in self.storage.answers}
        if preset:
            self._deliver(preset, notes)

    def _deliver(self, results: dict[str, str], notes: list[str] | None = None) -> StepOutcome:
        notes = notes if notes is not None else []
        now_dev = self.ctx.clock.device_ms()
        requests = {}
        for p, r in results.items():
            req = self.pending.pop(p, None)
            if req is not None:
                requests[id(req[0])] = req
            if r == "granted":
                self.storage.granted.add(p)
                self.storage.denied_at.pop(p, None)
            else:
                self.storage.granted.discard(p)
                self.storage.denied_at[p] = now_dev
        self.rt.permission_result(results)
        for a, _trigger, detail in requests.values():
            if all(p in self.storage.granted for p in a.permissions):
                for t in a.then:
                    self._act(t, "permission", detail, notes)
        self._check_alive()
        if self.rt is not None:
            self.rt.flush()
        return StepOutcome(detail="; ".join(notes))

    def _marker(self, a: Action, trigger: str, detail: str, thread: str) -> None:
        """The app records the decision through every marker the manifest names for the scope."""
        scope = a.scope or "policy"
        stack = self.stacks.build(a, None, trigger, detail, thread)
        for mk in self.ctx.manifest.consent.markers:
            if mk.scope != scope:
                continue
            if mk.method:
                value: Any = a.marker_value
            else:
                value = mk.value if a.marker_value else (False if isinstance(mk.value, bool) else None)
            self.rt.marker(mk, value, stack, thread=thread, store=a.store)
