// Dragging an appointment in the day view to another time and/or provider column: a pointer
// held on an appointment and moved past a few pixels carries it; where it is let go (snapped to
// a quarter hour) becomes a move through the same API and rules as the panel's form (which
// stays the keyboard's way). Escape puts it back.
import { useEffect, useRef, useState } from 'preact/hooks';
import { clockLabel } from '../lib/calendar.js';

/** Minutes a drop snaps to. */
export const SNAP_MIN = 15;
/** Pixels a pointer must travel before a press becomes a drag (below it, a click). */
const THRESHOLD_PX = 6;

export interface DropTarget {
  providerId: string;
  providerName: string;
  /** Minute of the day the appointment would start. */
  minute: number;
}

export interface Dragging {
  id: number;
  dx: number;
  dy: number;
  target: DropTarget | null;
}

interface Press {
  id: number;
  x: number;
  y: number;
  /** Pointer's distance below the appointment's top edge when pressed. */
  grab: number;
  moved: boolean;
}

/** Where a pointer is over the grid: the column under it and the minute its appointment's top would be at. */
function targetAt(x: number, y: number, grab: number, gridFrom: number, pxPerMin: number): DropTarget | null {
  const column = document.elementsFromPoint(x, y).find((el): el is HTMLElement => el instanceof HTMLElement && el.dataset.provider !== undefined);
  if (!column) return null;
  const top = column.getBoundingClientRect().top;
  const minute = gridFrom + Math.round((y - grab - top) / pxPerMin / SNAP_MIN) * SNAP_MIN;
  return { providerId: column.dataset.provider ?? '', providerName: column.dataset.name ?? '', minute: Math.max(0, Math.min(24 * 60 - SNAP_MIN, minute)) };
}

export const targetLabel = (t: DropTarget): string => `${clockLabel(t.minute)} with ${t.providerName}`;

/**
 * The day grid's drag state. `press` goes on an appointment's pointerdown; `onDrop` is told the
 * target when a drag ends over a column; `wasDrag()` tells the click that follows a drag to do nothing.
 */
export function useAppointmentDrag(opts: { gridFrom: number; pxPerMin: number; onDrop: (id: number, target: DropTarget) => void }) {
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const press = useRef<Press | null>(null);
  const dragged = useRef(false);
  const latest = useRef(opts);
  latest.current = opts;

  useEffect(() => {
    const move = (e: PointerEvent) => {
      const p = press.current;
      if (!p) return;
      const dx = e.clientX - p.x;
      const dy = e.clientY - p.y;
      if (!p.moved && Math.hypot(dx, dy) < THRESHOLD_PX) return;
      p.moved = true;
      e.preventDefault();
      setDragging({ id: p.id, dx, dy, target: targetAt(e.clientX, e.clientY, p.grab, latest.current.gridFrom, latest.current.pxPerMin) });
    };
    const up = (e: PointerEvent) => {
      const p = press.current;
      press.current = null;
      if (!p?.moved) return;
      // The click this release may produce is not a click on the appointment (gone by the next task).
      dragged.current = true;
      setTimeout(() => (dragged.current = false), 0);
      setDragging(null);
      const t = targetAt(e.clientX, e.clientY, p.grab, latest.current.gridFrom, latest.current.pxPerMin);
      if (t) latest.current.onDrop(p.id, t);
    };
    const cancel = () => {
      if (press.current?.moved) {
        dragged.current = true;
        setTimeout(() => (dragged.current = false), 0);
      }
      press.current = null;
      setDragging(null);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && press.current) cancel();
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', key);
    };
  }, []);

  return {
    dragging,
    press: (id: number, e: PointerEvent) => {
      if (e.button !== 0) return;
      const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
      press.current = { id, x: e.clientX, y: e.clientY, grab: e.clientY - box.top, moved: false };
    },
    /** True for the click a drag's release produces. */
    wasDrag: (): boolean => dragged.current,
  };
}
