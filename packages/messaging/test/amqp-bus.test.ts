import { describeWithRabbitMq } from '@overcast/test-kit';
import { describeBusContract } from './bus-contract';
import { setUpAmqpHarness } from './amqp-harness';

describeWithRabbitMq('amqp transport', () => {
  describeBusContract({ name: 'amqp', restart: true, setUp: () => setUpAmqpHarness() });
});
