import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { z } from 'zod';
import { ConfigValidationError } from './config-validation.error';
import { kafkaEnv } from './env-schemas';
import { ServiceConfigModule } from './service-config.module';

const schema = z.object({ ...kafkaEnv, HTTP_PORT: z.coerce.number().int().default(3101) });

describe('ServiceConfigModule', () => {
  const original = { ...process.env };
  afterEach(() => {
    process.env = { ...original };
  });

  it('provides the validated, typed values', async () => {
    process.env.HTTP_PORT = '3999';
    process.env.KAFKA_BROKERS = 'kafka-1:9092';
    const module = await Test.createTestingModule({ imports: [ServiceConfigModule.forRoot(schema)] }).compile();
    const config = module.get(ConfigService);
    expect(config.get('HTTP_PORT')).toBe(3999);
    expect(config.get('MESSAGE_MAX_ATTEMPTS')).toBe(5);
  });

  it('validates when Nest creates it, not when the app module is imported', async () => {
    process.env.KAFKA_BROKERS = 'not a list';
    const imported = ServiceConfigModule.forRoot(schema);
    await expect(Test.createTestingModule({ imports: [imported] }).compile()).rejects.toThrow(ConfigValidationError);
  });
});
