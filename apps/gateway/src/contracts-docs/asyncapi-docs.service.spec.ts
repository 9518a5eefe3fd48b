import { systemAsyncApi } from '@orderflow/contracts/asyncapi';
import { AsyncApiDocsService } from './asyncapi-docs.service';

jest.mock('@orderflow/contracts/asyncapi', () => {
  const actual = jest.requireActual<typeof import('@orderflow/contracts/asyncapi')>('@orderflow/contracts/asyncapi');
  return { ...actual, systemAsyncApi: jest.fn(actual.systemAsyncApi) };
});

describe('AsyncApiDocsService', () => {
  it('builds the document at the first request for it, once, and not when the gateway starts', () => {
    const docs = new AsyncApiDocsService();
    expect(systemAsyncApi).not.toHaveBeenCalled();
    const json = docs.json;
    expect(JSON.parse(json)).toMatchObject({ asyncapi: expect.any(String) });
    expect(docs.page).toContain('<html');
    expect(docs.json).toBe(json);
    expect(systemAsyncApi).toHaveBeenCalledTimes(1);
  });
});
