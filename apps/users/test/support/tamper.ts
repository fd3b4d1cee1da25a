/**
 * The token with the first character of its signature changed. That character carries six whole
 * bits of the signature; the last character of a base64url Ed25519 signature has unused bits, so
 * changing it can leave the decoded signature, and the token, valid.
 */
export function withAlteredSignature(token: string): string {
  const signatureStart = token.lastIndexOf('.') + 1;
  const replacement = token[signatureStart] === 'A' ? 'B' : 'A';
  return token.slice(0, signatureStart) + replacement + token.slice(signatureStart + 1);
}
