import { describe, expect, it } from 'vitest';
import { stripThinkBlocks } from '../../src/domain/think-blocks.js';

describe('stripThinkBlocks', () => {
  it('when the answer starts with a <think> block, then the block is removed and kept as reasoning', () => {
    expect(stripThinkBlocks('<think>\nThe user wants JSON.\n</think>\n\n{"drafts":[]}')).toEqual({ text: '{"drafts":[]}', thinking: 'The user wants JSON.' });
  });

  it('when there are several blocks in any case and spelling, then all of them go', () => {
    const result = stripThinkBlocks('<THINK>a</THINK>Hello <thinking>b</thinking>world<reasoning>c</reasoning>');
    expect(result.text).toBe('Hello world');
    expect(result.thinking).toBe('a\n\nb\n\nc');
  });

  it('when a block was never closed (cut at num_predict), then the rest is reasoning, not answer', () => {
    expect(stripThinkBlocks('Answer first. <think>I was still thinking when')).toEqual({ text: 'Answer first.', thinking: 'I was still thinking when' });
  });

  it('when only a closing tag appears (the opening one was in the prompt template), then what precedes it is reasoning', () => {
    expect(stripThinkBlocks('Okay, so the user wants posts.\n</think>\n{"drafts":[{"text":"Hi"}]}')).toEqual({
      text: '{"drafts":[{"text":"Hi"}]}',
      thinking: 'Okay, so the user wants posts.',
    });
  });

  it('when there is no reasoning, then the text is unchanged (but trimmed)', () => {
    expect(stripThinkBlocks('  A post about <b>pizza</b>. ')).toEqual({ text: 'A post about <b>pizza</b>.', thinking: '' });
  });
});
