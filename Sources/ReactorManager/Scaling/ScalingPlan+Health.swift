import ReactorCore

/// The first steps of a pass: the health of each instance, from its marks (how long it has
/// been unknown to the cloud, unregistered, decommissioned; how many passes in a row the
/// balancers reported failures for it).
extension ScalingPlan.Steps {
    /// An active instance: forgotten once the cloud has not listed it for `unknown_timeout`,
    /// replaced when the cloud reports it failed or after `error_marks` passes with errors in a
    /// row, deleted when it has not registered within `unregistered_timeout`; else its marks
    /// are brought up to date.
    mutating func checkHealth(of instance: String) {
        var marks = self.marks[instance] ?? InstanceMarks()
        let before = marks
        guard let cloudInstance = snapshot.cloudInstances[instance] else {
            marks.unknown += snapshot.elapsed
            if marks.unknown >= Double(config.unknownTimeout) {
                actions.append(.retire(instance, ips: nil, to: .dropped))
                dropMarks(instance)
                active.remove(instance)
                log(.warning, "forgot instance \(instance): the cloud has not listed it for \(Int(marks.unknown)) s")
                return
            }
            write(instance, marks, was: before)
            return
        }
        marks.unknown = 0
        if cloudInstance.status == .failed {
            replaceErrored(
                instance, cloudInstance,
                because:
                    "instance \(cloudInstance.name) failed: \(cloudInstance.failure ?? "the cloud reports it failed"); deleting it"
            )
            return
        }
        let reported = cloudInstance.ips.reduce(0) { $0 + (snapshot.errors[$1] ?? 0) }
        marks.error = reported > 0 ? marks.error + 1 : 0
        if config.errorMarks > 0 && marks.error >= Double(config.errorMarks) {
            replaceErrored(
                instance, cloudInstance,
                because:
                    "instance \(cloudInstance.name) errored: the balancers reported failures in \(Int(marks.error)) passes in a row (error_marks \(config.errorMarks)); deleting it"
            )
            return
        }
        if cloudInstance.ips.contains(where: snapshot.confirmedIPs.contains) {
            marks.unregistered = 0
        } else {
            marks.unregistered += snapshot.elapsed
            if marks.unregistered >= Double(config.unregisteredTimeout) {
                actions.append(.retire(instance, ips: cloudInstance.ips, to: .dropped))
                dropMarks(instance)
                active.remove(instance)
                log(
                    .warning,
                    "deleting instance \(cloudInstance.name): it did not register within \(config.unregisteredTimeout) s"
                )
                neverConfirmed.append(cloudInstance.name)
                actions.append(.deleteFromCloud(instance))
                return
            }
        }
        write(instance, marks, was: before)
    }

    /// A decommissioned instance: deleted once idle past `decommissioned_timeout`, at once when
    /// the endpoint is stopped or the cloud no longer lists it; else its mark grows.
    mutating func checkDecommissioned(_ instance: String) {
        var marks = self.marks[instance] ?? InstanceMarks()
        let before = marks
        marks.decommissioned += snapshot.elapsed
        let cloudInstance = snapshot.cloudInstances[instance]
        if snapshot.state == .stopped || marks.decommissioned >= Double(config.decommissionedTimeout)
            || cloudInstance == nil
        {
            actions.append(.removeDecommissioned(instance))
            dropMarks(instance)
            decommissioned.remove(instance)
            log(.info, "deleting decommissioned instance \(cloudInstance?.name ?? instance)")
            actions.append(.deleteFromCloud(instance))
            return
        }
        write(instance, marks, was: before)
    }

    /// Moves the instance to errored (its confirmed IPs released), says why, and deletes it from
    /// the cloud; the scaling that follows replaces it.
    private mutating func replaceErrored(_ instance: String, _ cloudInstance: CloudInstance, because reason: String) {
        actions.append(.retire(instance, ips: cloudInstance.ips, to: .errored))
        dropMarks(instance)
        log(.error, reason)
        actions.append(.deleteFromCloud(instance))
        actions.append(.removeErroredRecord(instance, name: cloudInstance.name))
        active.remove(instance)
        failures += 1
    }
}
