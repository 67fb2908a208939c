extension Migrations {
    /// One name per event, in the past tense (EventType): the imperative names events were stored under before.
    static let v17EventNames = Migration(version: 17, name: "event_names", statements: [
        "UPDATE events SET type = 'application.accepted' WHERE type = 'application.accept'",
        "UPDATE events SET type = 'application.correction_requested' WHERE type = 'application.request_correction'",
        "UPDATE events SET type = 'application.supplemented' WHERE type = 'application.supplement'",
        "UPDATE events SET type = 'application.verifiers_assigned' WHERE type = 'application.assign_verifiers'",
        "UPDATE events SET type = 'application.verification_passed' WHERE type = 'application.verification_pass'",
        "UPDATE events SET type = 'application.verification_failed' WHERE type = 'application.verification_fail'",
        "UPDATE events SET type = 'application.rectification_ordered' WHERE type = 'application.verification_rectify'",
        "UPDATE events SET type = 'application.approved' WHERE type = 'application.approve'",
        "UPDATE events SET type = 'application.refused' WHERE type = 'application.refuse'",
        "UPDATE events SET type = 'application.issued' WHERE type = 'application.issue'",
        "UPDATE events SET type = 'application.withdrawn' WHERE type = 'application.withdraw'",
        "UPDATE events SET type = 'application.clock_stopped' WHERE type = 'application.stop_clock'",
        "UPDATE events SET type = 'application.clock_resumed' WHERE type = 'application.resume_clock'",
        "UPDATE events SET type = 'recall.progress_reported' WHERE type = 'recall.progress'",
        "UPDATE events SET type = 'inspection.evidence_added' WHERE type = 'inspection.evidence'",
        "UPDATE events SET type = 'enforcement.interview_ordered' WHERE type = 'enforcement.interview'",
        "UPDATE events SET type = 'enforcement.written_report_ordered' WHERE type = 'enforcement.written_report'",
        "UPDATE events SET type = 'enforcement.rectification_ordered' WHERE type = 'enforcement.rectification'",
        "UPDATE events SET type = 'enforcement.suspension_ordered' WHERE type = 'enforcement.suspension'",
        "UPDATE events SET type = 'enforcement.revocation_ordered' WHERE type = 'enforcement.revocation'",
        "UPDATE events SET type = 'enforcement.withdrawal_ordered' WHERE type = 'enforcement.withdrawal'",
    ])
}
