/** A command the fake Douban cannot carry out, with the HTTP status its control plane answers with. */
export class FakeDoubanError extends Error {
  readonly status: number;

  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.name = 'FakeDoubanError';
    this.status = status;
  }
}
