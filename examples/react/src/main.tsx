// <oms-progress-card> in a React 19 app: cards rendered from state, props changed, events heard
// through React 19's `on<event>` props, and cards unmounted (they stop their requests); and a
// portal's fleet page, <oms-project-list>, filtered from the app's state.
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import init, { type OmsListDetail, type OmsProgressDetail } from "oms-progress-card";

await init(); // defines <oms-progress-card> and <oms-project-list>

// Where the reference proxy is (the page's own origin by default; `?proxy=` for the tests).
const proxyUrl = new URLSearchParams(location.search).get("proxy") ?? "/oms";

function Dashboard() {
  const [ids, setIds] = useState(["np_react_orders", "np_react_billing"]);
  const [locale, setLocale] = useState("en");
  const [heard, setHeard] = useState<string[]>([]);
  const onProgress = (event: CustomEvent<OmsProgressDetail>) => {
    const status = event.detail.status ?? "";
    setHeard((seen) => (seen.includes(status) ? seen : [...seen, status]));
  };
  return (
    <main>
      <button id="chinese" onClick={() => setLocale("zh-CN")}>中文</button>
      <button id="drop-first" onClick={() => setIds((list) => list.slice(1))}>Remove the first card</button>
      <output id="heard">{heard.join(",")}</output>
      {ids.map((id) => (
        <oms-progress-card key={id} project-id={id} proxyUrl={proxyUrl} locale={locale} interval={1} onoms-progress={onProgress}>
          <span slot="title">Task {id}</span>
          <a slot="actions" href={`#/tasks/${id}`}>Open</a>
        </oms-progress-card>
      ))}
    </main>
  );
}

function Fleet() {
  const [status, setStatus] = useState("");
  const [failed, setFailed] = useState<number | null>(null);
  const onList = (event: CustomEvent<OmsListDetail>) => setFailed(event.detail.filter((task) => task.status === "FAILED").length);
  return (
    <section>
      <label>
        Status{" "}
        <select id="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All</option>
          <option value="RUNNING,FAILED">Running or failed</option>
          <option value="FAILED">Failed</option>
        </select>
      </label>
      <output id="failed">{failed ?? ""}</output>
      <oms-project-list proxyUrl={proxyUrl} search="np_fleet_" status={status} interval={1} onoms-list={onList} />
    </section>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Dashboard />
    <Fleet />
  </StrictMode>,
);
