// Stands in for the `server-only` marker package when tests import lib/ outside Next.
export {};
