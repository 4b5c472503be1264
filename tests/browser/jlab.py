"""Driving a JupyterLab notebook as a learner would, and measuring what the learner sees.

JupyterLab runs with ``expose_app_in_browser``: commands (run all, restart and
run all) go through ``window.jupyterapp.commands`` as the menus would send
them, and the notebook model says when every cell has run. What the learner
sees is measured in the page: error outputs, widgets that did not render,
elements wider than their output area, and the colour of every ✔ and ✘.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

CURRENT = "window.jupyterapp.shell.currentWidget"

READY_JS = f"""() => {{
  if (!window.jupyterapp || !window.jupyterapp.shell) return false;
  const w = {CURRENT};
  return !!(w && w.content && w.context && w.context.isReady && w.sessionContext.session
            && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle');
}}"""

# Every code cell ran (or one failed and the rest were skipped) and the kernel is idle again.
DONE_JS = f"""() => {{
  const w = {CURRENT};
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  let missing = 0, failed = false;
  for (const cell of w.content.widgets) {{
    if (cell.model.type !== 'code') continue;
    if (cell.model.executionCount === null) missing++;
    const outs = cell.model.outputs;
    for (let i = 0; i < outs.length; i++) if (outs.get(i).type === 'error') failed = true;
  }}
  return missing === 0 || failed;
}}"""

# What the learner sees, cell by cell.
REPORT_JS = f"""(only) => {{
  const w = {CURRENT};
  const report = {{errors: [], stderr: [], unexecuted: 0, widgets: 0, widgetProblems: [], tooWide: [], marks: []}};
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {{
    for (let e = el; e; e = e.parentElement) {{
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c.slice(0, 3);
    }}
    return [255, 255, 255];
  }};
  w.content.widgets.forEach((cell, index) => {{
    if (cell.model.type !== 'code') return;
    if (only !== null && only !== undefined && !cell.node.contains(only)) return;
    if (cell.model.executionCount === null) report.unexecuted++;
    const outs = cell.model.outputs;
    for (let i = 0; i < outs.length; i++) {{
      const o = outs.get(i).toJSON();
      if (o.output_type === 'error') report.errors.push({{cell: index, ename: o.ename, evalue: o.evalue}});
      if (o.output_type === 'stream' && o.name === 'stderr') report.stderr.push({{cell: index, text: String(o.text)}});
    }}
    cell.node.querySelectorAll('.jp-OutputArea-output').forEach((out) => {{
      const text = out.innerText || '';
      const isWidget = out.getAttribute('data-mime-type') === 'application/vnd.jupyter.widget-view+json'
                       || !!out.querySelector('.jupyter-widgets');
      if (isWidget) report.widgets++;
      if (/Error displaying widget|Loading widget|Failed to load model|model not found/i.test(text)
          || (isWidget && !out.querySelector('.jupyter-widgets'))) {{
        report.widgetProblems.push({{cell: index, text: text.slice(0, 200)}});
      }}
      const box = out.getBoundingClientRect();
      let worst = null;
      out.querySelectorAll('*').forEach((el) => {{
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return;
        const folded = el.closest('details:not([open])');
        if (folded && !el.closest('summary')) return;  // not shown until the learner opens it
        if (r.right > box.right + 1 && (!worst || r.right > worst.right)) {{
          worst = {{tag: el.tagName, cls: String(el.className), right: Math.round(r.right),
                   text: (el.innerText || '').slice(0, 60)}};
        }}
      }});
      if (worst || out.scrollWidth > out.clientWidth + 1) {{
        report.tooWide.push({{cell: index, width: Math.round(box.width), scrollWidth: out.scrollWidth, worst}});
      }}
      out.querySelectorAll('*').forEach((el) => {{
        const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
        if (!own || (own[0] !== '\\u2714' && own[0] !== '\\u2718')) return;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || el.getBoundingClientRect().width === 0) return;
        report.marks.push({{cell: index, mark: own[0], tag: el.tagName, text: own.slice(0, 50), color: rgb(style.color).slice(0, 3),
                           background: background(el)}});
      }});
    }});
  }});
  return report;
}}"""


def open_notebook(page, lab, name: str) -> None:
    """Open ``name`` in a fresh JupyterLab workspace and wait for its kernel to be idle."""
    page.goto(lab.url(f"/lab/tree/{name}?reset"))
    page.wait_for_function(READY_JS, timeout=90_000, polling=250)


def dirty(page) -> bool:
    return bool(page.evaluate(f"() => {CURRENT}.context.model.dirty"))


def command(page, name: str, args: dict | None = None) -> None:
    """Run a JupyterLab command (as a menu would) without waiting for what it starts."""
    page.evaluate("([name, args]) => { window.jupyterapp.commands.execute(name, args); }", [name, args or {}])


def wait_done(page, timeout: float = 120) -> None:
    time.sleep(0.3)
    page.wait_for_function(DONE_JS, timeout=timeout * 1000, polling=250)
    wait_widgets(page)


def wait_widgets(page, timeout: float = 20) -> None:
    """Wait until no output still says 'Loading widget...'."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not page.evaluate("() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
                             ".some((o) => /Loading widget/.test(o.innerText))"):
            return
        time.sleep(0.2)


def run_all(page) -> None:
    command(page, "notebook:run-all-cells")
    wait_done(page)


def restart_and_run_all(page) -> None:
    """Clear outputs (so that 'done' means this run), then Kernel > Restart and Run All, accepting the dialog."""
    command(page, "notebook:clear-all-cell-outputs")
    command(page, "notebook:restart-run-all")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(f"() => {CURRENT}.sessionContext.session.kernel.status !== 'idle'", timeout=30_000,
                           polling=100)
    wait_done(page)


def report(page, within=None) -> dict:
    """What the learner sees in every code cell, or only in the cell holding the element ``within``."""
    if within is None:
        return page.evaluate(REPORT_JS, None)
    return within.evaluate(f"(el) => ({REPORT_JS})(el)")


def execute(page, code: str) -> str:
    """Run ``code`` in the notebook's kernel (not in a cell) and return what it printed."""
    return page.evaluate(f"""async (code) => {{
      const kernel = {CURRENT}.sessionContext.session.kernel;
      const future = kernel.requestExecute({{code, store_history: false}});
      let text = '';
      future.onIOPub = (msg) => {{
        if (msg.header.msg_type === 'stream') text += msg.content.text;
        if (msg.header.msg_type === 'error') text += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
      }};
      await future.done;
      return text;
    }}""", code)


def green(rgb) -> bool:
    return rgb[1] > rgb[0] + 30


def red(rgb) -> bool:
    return rgb[0] > rgb[1] + 30


def tinted(rgb) -> bool:
    return max(rgb) - min(rgb) > 12


def wrong_colours(marks: list[dict]) -> list[dict]:
    """Marks whose colour contradicts them: a ✔ in red or on red, a ✘ in green or on green.

    A mark in plain ink on a plain background (printed text) says nothing by colour and passes;
    a mark in a table cell must be coloured, and coloured right.
    """
    bad = []
    for m in marks:
        ok = m["mark"] == "\u2714"
        text, back = m["color"], m["background"]
        right, wrong = (green, red) if ok else (red, green)
        if wrong(text) or (tinted(back) and wrong(back)):
            bad.append(m)
        elif m.get("tag") == "TD" and not (right(text) or (tinted(back) and right(back))):
            bad.append(m)
    return bad


def screenshot_outputs(page, folder: Path, stem: str, selector: str = ".jp-OutputArea-output") -> list[Path]:
    """One PNG per output taller than a line or two, in order; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    outputs = page.locator(selector)
    for i in range(outputs.count()):
        out = outputs.nth(i)
        box = out.bounding_box()
        if not box or box["height"] < 40:
            continue
        path = folder / f"{stem}-{i:02d}.png"
        out.scroll_into_view_if_needed()
        out.screenshot(path=str(path))
        paths.append(path)
    return paths


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]
