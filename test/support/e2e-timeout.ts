// A whole saga across five processes takes seconds, not milliseconds; each wait inside a test has its own deadline.
jest.setTimeout(90_000);
