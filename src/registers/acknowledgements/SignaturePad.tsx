import { createSignal, createUniqueId, onCleanup, onMount, Show } from 'solid-js';

export interface SignaturePadProps {
  label: string;
  /** Called with a PNG data URL after each stroke, or undefined once cleared. */
  onChange: (dataUrl: string | undefined) => void;
  error?: string | undefined;
}

/**
 * Draw a signature with a finger, pen or mouse (pointer events). The drawing
 * is exported as a PNG data URL; the canvas is at most 2× the CSS size so the
 * image stays small.
 */
export function SignaturePad(props: SignaturePadProps) {
  let canvas!: HTMLCanvasElement;
  const [drawn, setDrawn] = createSignal(false);
  let drawing = false;
  let last: { x: number; y: number } | undefined;
  const id = `sig-${createUniqueId()}`;

  const ctx = () => canvas.getContext('2d');
  const fit = () => {
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.round(canvas.clientWidth * ratio);
    const h = Math.round(canvas.clientHeight * ratio);
    if (!w || !h || (canvas.width === w && canvas.height === h)) return;
    // Resizing clears the bitmap: only do it before anything is drawn.
    if (drawn()) return;
    canvas.width = w;
    canvas.height = h;
    const c = ctx();
    if (!c) return;
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.lineWidth = 2.2;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.strokeStyle = '#17212b';
  };
  const point = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const down = (e: PointerEvent) => {
    e.preventDefault();
    fit();
    canvas.setPointerCapture?.(e.pointerId);
    drawing = true;
    last = point(e);
    const c = ctx();
    if (c) {
      // A tap leaves a dot.
      c.beginPath();
      c.arc(last.x, last.y, 1.1, 0, Math.PI * 2);
      c.fillStyle = '#17212b';
      c.fill();
    }
  };
  const move = (e: PointerEvent) => {
    if (!drawing || !last) return;
    e.preventDefault();
    const c = ctx();
    const p = point(e);
    if (c) {
      c.beginPath();
      c.moveTo(last.x, last.y);
      c.lineTo(p.x, p.y);
      c.stroke();
    }
    last = p;
    setDrawn(true);
  };
  const up = () => {
    if (!drawing) return;
    drawing = false;
    last = undefined;
    setDrawn(true);
    props.onChange(canvas.toDataURL('image/png'));
  };
  const clear = () => {
    ctx()?.clearRect(0, 0, canvas.width, canvas.height);
    setDrawn(false);
    props.onChange(undefined);
  };

  onMount(() => {
    fit();
    const onResize = () => fit();
    window.addEventListener('resize', onResize);
    onCleanup(() => window.removeEventListener('resize', onResize));
  });

  return (
    <div class="field" data-invalid={props.error ? '' : undefined}>
      <div class="row spread">
        <label class="field-label" id={`${id}-label`} for={id}>{props.label}</label>
        <button type="button" class="btn small" onClick={clear} disabled={!drawn()}>Clear signature</button>
      </div>
      <div class="signature-pad">
        <canvas
          id={id}
          ref={canvas}
          role="img"
          aria-labelledby={`${id}-label`}
          aria-describedby={props.error ? `${id}-err` : undefined}
          data-testid="signature-pad"
          data-drawn={drawn() ? 'true' : 'false'}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
          onLostPointerCapture={up}
        />
        <Show when={!drawn()}><span class="sign-here">Sign here with your finger</span></Show>
      </div>
      <Show when={props.error}>
        <div id={`${id}-err`} class="field-error" role="alert">{props.error}</div>
      </Show>
    </div>
  );
}
