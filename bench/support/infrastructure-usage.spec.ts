import { infrastructureCpuPer1000Orders } from './infrastructure-usage';

describe('infrastructureCpuPer1000Orders', () => {
  it('takes the broker and each backend from their first reading, a new backend from zero', () => {
    const start = { broker: 100, postgres: new Map([[11, 5]]) };
    const end = {
      broker: 130,
      postgres: new Map([
        [11, 9],
        [12, 2],
      ]),
    };
    expect(infrastructureCpuPer1000Orders(start, end, 2_000)).toEqual({
      broker: { cpuSecondsPer1000Orders: 15 },
      postgres: { cpuSecondsPer1000Orders: 3, backends: 2 },
    });
  });

  it('has no broker figure for an outside cluster', () => {
    const none = { postgres: new Map<number, number>() };
    expect(infrastructureCpuPer1000Orders(none, none, 10).broker).toBeUndefined();
  });
});
