import { toPng, toSvg } from 'html-to-image';
import type { Viewport } from '@xyflow/react';
import { pictureFrame } from '../../lib/journey/layout';
import type { JourneyMap } from '../../lib/journey/types';

/**
 * The canvas as a picture, made from what the browser draws (html-to-image,
 * pinned at 1.11.11 as React Flow's own "download image" example is: later
 * versions draw flows wrongly). The whole map, or what is in view now.
 */
export type ImageFormat = 'png' | 'svg';
export type ImageScope = 'map' | 'view';

const BACKGROUND = '#f8fafc';

/** What is chrome, not the map: the zoom buttons, the minimap, hints over the canvas, other people's cursors. */
function isMapContent(node: HTMLElement): boolean {
  const classes = node.classList;
  if (!classes) return true;
  return !classes.contains('react-flow__controls') && !classes.contains('react-flow__minimap') && !classes.contains('react-flow__panel') && node.dataset?.exportSkip === undefined;
}

interface Flow {
  getViewport(): Viewport;
  setViewport(viewport: Viewport): Promise<boolean>;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

export interface CanvasImage {
  dataUrl: string;
  width: number;
  height: number;
}

/**
 * The whole map: the canvas is laid out for a moment at the map's full size
 * (React Flow draws only the cards in view), at 100 % or less for a big
 * map (pictureFrame), captured, and put back as it was.
 */
export async function captureCanvas(root: HTMLElement, flow: Flow, map: JourneyMap, format: ImageFormat, scope: ImageScope): Promise<CanvasImage> {
  const render = format === 'png' ? toPng : toSvg;
  if (scope === 'view') {
    const { width, height } = root.getBoundingClientRect();
    const dataUrl = await render(root, { filter: isMapContent, backgroundColor: BACKGROUND, width: Math.round(width), height: Math.round(height), pixelRatio: 1 });
    return { dataUrl, width: Math.round(width), height: Math.round(height) };
  }
  const { bounds, zoom, width, height } = pictureFrame(map);
  const before = flow.getViewport();
  const style = root.getAttribute('style');
  try {
    root.style.position = 'fixed';
    root.style.left = '0';
    root.style.top = '0';
    root.style.width = `${width}px`;
    root.style.height = `${height}px`;
    root.style.zIndex = '-1';
    await flow.setViewport({ x: -bounds.x * zoom, y: -bounds.y * zoom, zoom });
    // React Flow measures the new size and draws the cards now in view on the next frames.
    for (let i = 0; i < 4; i++) await nextFrame();
    const dataUrl = await render(root, { filter: isMapContent, backgroundColor: BACKGROUND, width, height, pixelRatio: 1 });
    return { dataUrl, width, height };
  } finally {
    if (style === null) root.removeAttribute('style');
    else root.setAttribute('style', style);
    await flow.setViewport(before);
  }
}

/** Saves the picture as a file named after the map. */
export function downloadImage(image: CanvasImage, fileName: string): void {
  const link = document.createElement('a');
  link.href = image.dataUrl;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
}
