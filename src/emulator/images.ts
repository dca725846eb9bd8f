/**
 * @module emulator/images
 * Image input as the emulated models take it: a model that sees names the colour of the PNG the harness generated
 * (`{{generated.png-<colour>}}`), one that does not answers as if there were no image, and one that refuses
 * images answers 400 as OpenAI does for a model without vision. The catalog says which model is which.
 */
import { sentColour } from '../checks/images.ts';
import type { ModelProfile } from './profile.ts';

/** Content part types that carry an image on chat, Responses and Messages. */
const IMAGE_PARTS = new Set(['image_url', 'input_image', 'image']);

function hasImage(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasImage);
  if (!value || typeof value !== 'object') return false;
  const type = (value as Record<string, unknown>).type;
  if (typeof type === 'string' && IMAGE_PARTS.has(type)) return true;
  return Object.values(value).some(hasImage);
}

/** Why the model refuses the request's image (a model without vision), or undefined. */
export function imageRefusal(body: Record<string, unknown>, profile: ModelProfile): string | undefined {
  if (profile.behaviors.vision !== 'rejects' || !hasImage(body.messages ?? body.input)) return undefined;
  return 'Invalid content type. Image input is not supported by this model.';
}

/** What the model answers about the request's image, or undefined when the request holds none. */
export function imageReply(body: Record<string, unknown>, profile: ModelProfile): string | undefined {
  const source = body.messages ?? body.input;
  if (!hasImage(source)) return undefined;
  if (profile.behaviors.vision === 'blind') return 'I cannot see any image here.';
  const colour = sentColour(source);
  return colour ? `${colour[0]!.toUpperCase()}${colour.slice(1)}.` : 'An image.';
}
