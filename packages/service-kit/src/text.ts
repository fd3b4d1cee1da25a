import { z } from 'zod';

/**
 * What a text field may carry. Defaults suit a single-line field (a name, a keyword, a token):
 * no control characters at all, no unpaired surrogates, no invisible formatting characters.
 */
export interface SafeTextOptions {
  /** Allow line feeds (and CR LF): for fields that are written in paragraphs. */
  lineBreaks?: boolean;
  /** Allow horizontal tabs. */
  tabs?: boolean;
  /**
   * Allow the invisible formatting characters that can disguise text: bidirectional overrides and
   * isolates (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), zero-width spaces and joiners
   * other than ZWJ/ZWNJ (which emoji and several scripts need), word joiners, the BOM, soft hyphens.
   * Off by default: a name with U+202E reads backwards in someone else's inbox.
   */
  invisibleFormatting?: boolean;
}

/** C0 and C1 control characters and DEL; PostgreSQL cannot store NUL, and none belongs in a text field. */
const isControlCharacter = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units). */
const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const invisibleFormatting = /[\u00AD\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/u;

/** The first reason `value` is not acceptable text, or undefined when it is. */
export function unsafeTextReason(value: string, o: SafeTextOptions = {}): string | undefined {
  // A lone surrogate cannot be encoded as UTF-8: PostgreSQL refuses it and JSON consumers choke on it.
  if (unpairedSurrogate.test(value)) return 'must be valid Unicode text (it has an unpaired surrogate)';
  for (const character of value) {
    if (character === '\n' && o.lineBreaks) continue;
    if (character === '\r' && o.lineBreaks) continue;
    if (character === '\t' && o.tabs) continue;
    if (isControlCharacter(character.codePointAt(0)!)) return 'must not contain control characters';
    if (!o.invisibleFormatting && invisibleFormatting.test(character)) {
      return 'must not contain invisible formatting characters (such as bidirectional overrides)';
    }
  }
  return undefined;
}

/**
 * A string schema that refuses what no text field should hold; chain the usual checks after it:
 * `safeText().trim().min(1).max(100)`. Use it for every text field a client sends.
 */
export function safeText(o: SafeTextOptions = {}): z.ZodString {
  return z.string().superRefine((value, ctx) => {
    const reason = unsafeTextReason(value, o);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });
}

/**
 * For schemas defined elsewhere (shared event contracts): refuses the value when any string in it,
 * however deep, is not safe text; the issue points at that string.
 */
export function withSafeText<T extends z.ZodType>(schema: T, o: SafeTextOptions = {}): T {
  return schema.superRefine((value, ctx) => {
    const visit = (node: unknown, path: PropertyKey[]) => {
      if (typeof node === 'string') {
        const reason = unsafeTextReason(node, o);
        if (reason) ctx.addIssue({ code: 'custom', message: reason, path });
      } else if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, [...path, index]));
      } else if (node !== null && typeof node === 'object') {
        for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
      }
    };
    visit(value, []);
  }) as unknown as T;
}
