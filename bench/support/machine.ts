import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { kafkaVersion } from '../../tools/kafka/broker';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  java: string;
  kafka: string;
}

export async function machineFacts(): Promise<MachineFacts> {
  let java = 'unknown';
  try {
    java = execSync('java -version 2>&1', { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    // no Java: the broker then came from KAFKA_BROKERS
  }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    java,
    kafka: await kafkaVersion(),
  };
}
