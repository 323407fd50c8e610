"""``inproc://``: oslo.messaging's in-memory transport without polling delays.

oslo.messaging's ``fake://`` driver sleeps 50 ms between polls of an idle
queue, which adds up to that much latency to every RPC hop. This driver
reuses it but wakes listeners on a condition as soon as a message is
delivered. Like ``fake://`` it only works inside one process: the embedded
default (``mistral-server --server all``).
"""

import threading
import time

from oslo_messaging._drivers import base, impl_fake

_ARRIVED = threading.Condition()


class _Exchange(impl_fake.FakeExchange):
    def deliver_message(self, *args, **kwargs):
        super().deliver_message(*args, **kwargs)
        with _ARRIVED:
            _ARRIVED.notify_all()


class _ExchangeManager(impl_fake.FakeExchangeManager):
    def __init__(self, default_exchange):
        super().__init__(default_exchange)
        self._own = {}
        self._own_lock = threading.Lock()

    def get_exchange(self, name):
        if name is None:
            name = self._default_exchange
        with self._own_lock:
            return self._own.setdefault(name, _Exchange(name))


class _Listener(impl_fake.FakeListener):
    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        with _ARRIVED:
            while not self._stopped.is_set():
                for target in self._targets:
                    exchange = self._exchange_manager.get_exchange(target.exchange)
                    ctxt, message, reply_q, requeue = exchange.poll(target, self._pool)
                    if message is not None:
                        return impl_fake.FakeIncomingMessage(ctxt, message, reply_q, requeue)
                wait = 0.2 if deadline is None else min(0.2, deadline - time.monotonic())
                if wait <= 0:
                    return None
                _ARRIVED.wait(wait)
        return None

    def stop(self):
        super().stop()
        with _ARRIVED:
            _ARRIVED.notify_all()


class InProcDriver(impl_fake.FakeDriver):
    """The fake driver with condition-based wake-ups."""

    def __init__(self, conf, url, default_exchange=None, allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods=allowed_remote_exmods)
        self._exchange_manager = _ExchangeManager(default_exchange)

    def listen(self, target, batch_size, batch_timeout):
        exchange = target.exchange or self._default_exchange
        listener = _Listener(
            self._exchange_manager,
            [
                impl_fake.oslo_messaging.Target(topic=target.topic, server=target.server, exchange=exchange),
                impl_fake.oslo_messaging.Target(topic=target.topic, exchange=exchange),
            ],
        )
        return base.PollStyleListenerAdapter(listener, batch_size, batch_timeout)
