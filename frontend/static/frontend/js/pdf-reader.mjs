/* The entry's PDFs, readable beside the rubric: pdf.js (vendored in static/vendor/pdfjs) draws
   each page on a canvas. The bytes come from our own origin (/api/v1/attachments/{id}/pdf/,
   fetched, never shown by the browser itself); no eval (isEvalSupported: false), the worker
   from our static files, so the page keeps its Content-Security-Policy. */
const viewers = document.querySelectorAll("[data-pdf-viewer]");

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

async function open(viewer, pdfjs) {
  const canvas = viewer.querySelector("[data-pdf-canvas] canvas");
  const status = viewer.querySelector("[data-pdf-page]");
  const previous = viewer.querySelector("[data-pdf-previous]");
  const next = viewer.querySelector("[data-pdf-next]");
  const response = await fetch(viewer.dataset.pdfUrl, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const documentTask = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    standardFontDataUrl: viewer.dataset.fonts,
  });
  const pdf = await documentTask.promise;
  let current = 1;
  let drawing = null;

  async function draw(number) {
    if (drawing) await drawing.catch(() => {});
    current = Math.min(Math.max(number, 1), pdf.numPages);
    const page = await pdf.getPage(current);
    const width = canvas.parentElement.clientWidth || 600;
    const unscaled = page.getViewport({ scale: 1 });
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: (width / unscaled.width) * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    drawing = page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport }).promise;
    await drawing;
    canvas.dataset.drawn = String(current);
    status.textContent = say(viewer.dataset.pageLabel, { page: current, pages: pdf.numPages });
    previous.disabled = current <= 1;
    next.disabled = current >= pdf.numPages;
  }

  previous.addEventListener("click", () => draw(current - 1));
  next.addEventListener("click", () => draw(current + 1));
  let resizing = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(() => draw(current), 200);
  });
  await draw(1);
}

if (viewers.length) {
  const first = viewers[0];
  import(first.dataset.pdfjs).then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = first.dataset.worker;
    viewers.forEach((viewer) => {
      open(viewer, pdfjs).catch(() => {
        viewer.classList.add("failed");
        viewer.querySelector("[data-pdf-page]").textContent = viewer.dataset.failedLabel;
      });
    });
  });
}
