/**
 * Every Block Kit limit from PLATFORM-FACTS, checked on plain JSON: returns the list of
 * violations (empty = Slack would accept it). Walks any block shape, so it checks builders
 * without trusting their types.
 */
type Json = Record<string, unknown>;

export interface SurfaceLimits {
  /** 50 for messages, 100 for modals and Home. */
  readonly maxBlocks: number;
  /** Messages: Slack answers msg_blocks_too_long near ~13k characters; undefined for views. */
  readonly maxChars?: number;
}

export const MESSAGE: SurfaceLimits = { maxBlocks: 50, maxChars: 12_000 };
export const VIEW: SurfaceLimits = { maxBlocks: 100 };

const textOf = (o: unknown): string | undefined => (o && typeof o === 'object' && typeof (o as Json).text === 'string' ? ((o as Json).text as string) : undefined);

export function blockKitViolations(blocks: readonly unknown[], limits: SurfaceLimits): string[] {
  const out: string[] = [];
  if (blocks.length > limits.maxBlocks) out.push(`${blocks.length} blocks > ${limits.maxBlocks}`);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  let chars = 0;
  for (const [i, raw] of blocks.entries()) {
    const b = raw as Json;
    const where = `block ${i} (${String(b.type)})`;
    if (typeof b.block_id === 'string') {
      if (b.block_id.length > 255) out.push(`${where}: block_id > 255`);
      if (blockIds.has(b.block_id)) out.push(`${where}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    const t = textOf(b.text);
    if (t !== undefined) chars += t.length;
    switch (b.type) {
      case 'header':
        if (!t || t.length > 150) out.push(`${where}: header text ${t?.length ?? 0} not in 1..150`);
        if ((b.text as Json).type !== 'plain_text') out.push(`${where}: header must be plain_text`);
        if (t?.includes('\n')) out.push(`${where}: header has a newline`);
        break;
      case 'section': {
        if (t !== undefined && (t.length > 3000 || t.length === 0)) out.push(`${where}: section text ${t.length} not in 1..3000`);
        const fields = (b.fields as unknown[] | undefined) ?? [];
        if (fields.length > 10) out.push(`${where}: ${fields.length} fields > 10`);
        for (const f of fields) if ((textOf(f) ?? '').length > 2000) out.push(`${where}: field > 2000`);
        if (t === undefined && fields.length === 0) out.push(`${where}: section without text or fields`);
        break;
      }
      case 'context': {
        const els = (b.elements as unknown[]) ?? [];
        if (els.length === 0 || els.length > 10) out.push(`${where}: ${els.length} context elements not in 1..10`);
        for (const e of els) {
          const et = textOf(e) ?? '';
          chars += et.length;
          if (et.length > 3000) out.push(`${where}: context text > 3000`);
        }
        break;
      }
      case 'actions': {
        const els = (b.elements as Json[]) ?? [];
        if (els.length === 0 || els.length > 25) out.push(`${where}: ${els.length} elements not in 1..25`);
        for (const e of els) {
          if (e.type === 'static_select') {
            out.push(...selectViolations(e, where));
            const id = String(e.action_id ?? '');
            if (actionIds.has(id)) out.push(`${where}: duplicate action_id ${id}`);
            actionIds.add(id);
            continue;
          }
          const bt = textOf(e.text) ?? '';
          if (bt.length === 0 || bt.length > 75) out.push(`${where}: button text ${bt.length} not in 1..75`);
          if (typeof e.value === 'string' && e.value.length > 2000) out.push(`${where}: button value > 2000`);
          const id = String(e.action_id ?? '');
          if (id.length === 0 || id.length > 255) out.push(`${where}: action_id length ${id.length}`);
          if (actionIds.has(id)) out.push(`${where}: duplicate action_id ${id}`);
          actionIds.add(id);
        }
        break;
      }
      case 'markdown':
        if ((String(b.text ?? '')).length > 12_000) out.push(`${where}: markdown > 12000`);
        break;
      case 'divider':
        break;
      case 'input': {
        const label = textOf(b.label) ?? '';
        if (label.length === 0 || label.length > 2000) out.push(`${where}: label ${label.length} not in 1..2000`);
        if ((textOf(b.hint) ?? '').length > 2000) out.push(`${where}: hint > 2000`);
        const e = b.element as Json;
        if (e.type === 'checkboxes') {
          const opts = (e.options as Json[]) ?? [];
          if (opts.length === 0 || opts.length > 10) out.push(`${where}: ${opts.length} checkbox options not in 1..10`);
          for (const o of opts) if ((textOf(o.text) ?? '').length > 75 || String(o.value ?? '').length > 150) out.push(`${where}: option too long`);
        } else if (e.type === 'static_select') {
          out.push(...selectViolations(e, where));
        }
        break;
      }
      default:
        out.push(`${where}: unexpected block type`);
    }
  }
  if (limits.maxChars !== undefined && chars > limits.maxChars) out.push(`${chars} characters of text > ${limits.maxChars}`);
  if (limits.maxChars !== undefined && JSON.stringify(blocks).length > limits.maxChars + 4000) out.push(`JSON ${JSON.stringify(blocks).length} characters`);
  return out;
}

/** static_select: placeholder ≤150, 1..100 options, option text ≤75 and value ≤150. */
function selectViolations(e: Json, where: string): string[] {
  const out: string[] = [];
  if ((textOf(e.placeholder) ?? '').length > 150) out.push(`${where}: placeholder > 150`);
  const opts = (e.options as Json[]) ?? [];
  if (opts.length === 0 || opts.length > 100) out.push(`${where}: ${opts.length} options not in 1..100`);
  for (const o of opts) {
    const t = textOf(o.text) ?? '';
    if (t.length === 0 || t.length > 75) out.push(`${where}: option text ${t.length} not in 1..75`);
    if (String(o.value ?? '').length > 150) out.push(`${where}: option value > 150`);
  }
  return out;
}

export function messageViolations(m: { text: string; blocks: readonly unknown[] }): string[] {
  const out = blockKitViolations(m.blocks, MESSAGE);
  if (m.text.length === 0 || m.text.length > 40_000) out.push(`fallback text length ${m.text.length}`);
  return out;
}

export function modalViolations(v: { title: { text: string }; close?: { text: string }; submit?: { text: string }; blocks: readonly unknown[]; private_metadata?: string; callback_id?: string }): string[] {
  const out = blockKitViolations(v.blocks, VIEW);
  if (v.title.text.length > 24) out.push(`modal title ${v.title.text.length} > 24`);
  if ((v.close?.text.length ?? 0) > 24) out.push('close > 24');
  if ((v.submit?.text.length ?? 0) > 24) out.push('submit > 24');
  if ((v.private_metadata?.length ?? 0) > 3000) out.push('private_metadata > 3000');
  if ((v.callback_id?.length ?? 0) > 255) out.push('callback_id > 255');
  return out;
}
