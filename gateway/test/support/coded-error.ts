/**
 * The assertion every refusal test makes: the status, the code in the header
 * and the body, and a message with every placeholder filled.
 */

/**
 * Checks that `res` is the coded error `code` with `status`.
 *
 * @example await expectCodedError(await h.admin('GET', '/admin/nothing'), 404, 'GW_ERR_ADMIN_NOT_FOUND');
 */
export async function expectCodedError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('x-strangler-error')).toBe(code);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe(code);
  expect(error.message).not.toMatch(/\{\w+\}/);
}
