import { PublishWindow } from './publish-window';

describe('publish window', () => {
  it('lets at most `size` publishes through and hands freed slots out in order', async () => {
    const window = new PublishWindow(2);
    const order: number[] = [];
    await window.acquire();
    await window.acquire();
    const waiting = [3, 4, 5].map((id) => window.acquire().then(() => order.push(id)));
    window.release();
    window.release();
    window.release();
    await Promise.all(waiting);
    expect(order).toEqual([3, 4, 5]);
  });

  it('is idle only once every slot is released', async () => {
    const window = new PublishWindow(1);
    await window.acquire();
    let idle = false;
    const idling = window.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    window.release();
    await idling;
    expect(idle).toBe(true);
  });

  it('keeps order across many waiters', async () => {
    const window = new PublishWindow(1);
    await window.acquire();
    const order: number[] = [];
    const waiting = Array.from({ length: 5000 }, (_, id) => window.acquire().then(() => order.push(id)));
    for (let index = 0; index < 5000; index += 1) window.release();
    await Promise.all(waiting);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, id) => id));
  });
});
