import { DependencyThrottleException } from '@aws-sdk/client-elastic-load-balancing';
import {
  AccessDeniedException,
  ClientException,
  ECSServiceException,
  InvalidParameterException,
  LimitExceededException,
  ServerException,
} from '@aws-sdk/client-ecs';
import { InvalidChangeBatch, PriorRequestNotComplete, ThrottlingException } from '@aws-sdk/client-route-53';
import { isRetryableAwsError } from './ec2-errors';

const metadata = { httpStatusCode: 400 };
/** An error as the SDK deserialises a code it has no class for: its name is the wire code. */
const unmodelled = (name: string, httpStatusCode = 400) =>
  new ECSServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });

describe('AWS error classification', () => {
  it('retries throttling, rate limits, AWS faults and network failures', () => {
    const transient = [
      unmodelled('ThrottlingException'),
      unmodelled('Throttling'),
      unmodelled('RequestLimitExceeded'),
      unmodelled('TooManyRequestsException'),
      new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata }),
      new PriorRequestNotComplete({ message: 'The request was rejected', $metadata: metadata }),
      new DependencyThrottleException({ message: 'throttled', $metadata: metadata }),
      new ServerException({ message: 'Service error', $metadata: { httpStatusCode: 500 } }),
      unmodelled('ServiceUnavailable', 503),
      unmodelled('SomethingNew', 502),
      unmodelled('SlowDown', 429),
      network('ECONNRESET'),
      network('ETIMEDOUT'),
      Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' }),
    ];
    expect(transient.filter((error) => !isRetryableAwsError(error))).toEqual([]);
  });

  it('takes every other answer for a client error a retry cannot change, a quota included', () => {
    const permanent = [
      new ClientException({ message: 'Role is not valid', $metadata: metadata }),
      new InvalidParameterException({ message: 'Invalid memory', $metadata: metadata }),
      new AccessDeniedException({ message: 'not authorized to perform ecs:CreateService', $metadata: metadata }),
      new LimitExceededException({ message: 'services per cluster', $metadata: metadata }),
      new InvalidChangeBatch({ message: 'Tried to create a record that already exists', $metadata: metadata }),
      unmodelled('ValidationError'),
      unmodelled('AccessDenied', 403),
      unmodelled('UnauthorizedOperation', 403),
      unmodelled('InvalidAMIID.NotFound'),
      new Error('an answer that is no AWS error at all'),
    ];
    expect(permanent.filter((error) => isRetryableAwsError(error))).toEqual([]);
  });
});
