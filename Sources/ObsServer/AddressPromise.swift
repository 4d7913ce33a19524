import Synchronization

/// Resolves once with the address the HTTP listener bound.
final class AddressPromise: Sendable {
    private let state = Mutex<(address: HostPort?, waiters: [CheckedContinuation<HostPort, Never>])>((nil, []))

    func fulfil(_ address: HostPort) {
        let waiters = state.withLock { state in
            state.address = address
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: address) }
    }

    var value: HostPort {
        get async {
            await withCheckedContinuation { continuation in
                let known = state.withLock { state -> HostPort? in
                    if let address = state.address { return address }
                    state.waiters.append(continuation)
                    return nil
                }
                if let known { continuation.resume(returning: known) }
            }
        }
    }
}
