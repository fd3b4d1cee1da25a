const blockTag = '(think|thinking|reasoning)';
const closedBlock = new RegExp(`<${blockTag}>[\\s\\S]*?</\\1>`, 'giu');
const openTag = new RegExp(`<${blockTag}>`, 'iu');
const closeTag = new RegExp(`</${blockTag}>`, 'iu');

/**
 * Separates the reasoning some models write inline from their answer: every `<think>…</think>`
 * (also `<thinking>`, `<reasoning>`) block; an opening tag never closed (the model was cut off
 * while thinking: the rest is reasoning); and a closing tag with no opening one (templates that put
 * the opening tag in the prompt: what precedes it is reasoning).
 */
export function stripThinkBlocks(text: string): { text: string; thinking: string } {
  const thoughts: string[] = [];
  let rest = text.replace(closedBlock, (block) => {
    thoughts.push(block.replace(openTag, '').replace(closeTag, '').trim());
    return '';
  });

  const orphanClose = closeTag.exec(rest);
  if (orphanClose && !openTag.test(rest.slice(0, orphanClose.index))) {
    thoughts.unshift(rest.slice(0, orphanClose.index).trim());
    rest = rest.slice(orphanClose.index + orphanClose[0].length);
  }

  const unclosed = openTag.exec(rest);
  if (unclosed) {
    thoughts.push(rest.slice(unclosed.index + unclosed[0].length).trim());
    rest = rest.slice(0, unclosed.index);
  }
  return { text: rest.trim(), thinking: thoughts.filter(Boolean).join('\n\n') };
}
