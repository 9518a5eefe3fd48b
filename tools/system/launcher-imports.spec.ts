/**
 * `npm start`'s launcher (start.ts) stays resident for the whole run, so what it imports is memory the
 * system holds all along: the broker's provisioning and the app supervisor must not pull in Nest or
 * TypeORM (the libs' indexes do; the light entries `@orderflow/messaging/provisioning` and
 * `@orderflow/config/env-schemas` do not).
 */
describe("npm start's launcher", () => {
  it.each(['@nestjs/common', '@nestjs/core', 'typeorm'])('loads its modules without %s', async (heavy) => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock(heavy, () => {
        throw new Error(`the launcher loaded ${heavy}`);
      });
      await expect(
        Promise.all([
          import('../kafka/broker'),
          import('../kafka/credentials'),
          import('./local-postgres'),
          import('./start-ports'),
          import('./system'),
        ]),
      ).resolves.toHaveLength(5);
    });
  });
});
