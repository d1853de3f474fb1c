use super::*;

#[test]
fn parses_op_specs() {
    let op = parse_op_spec("rsc1_monitor_10000@node1=7").expect("parses");
    assert_eq!(op.rsc, "rsc1");
    assert_eq!(op.task, "monitor");
    assert_eq!(op.interval_ms, 10000);
    assert_eq!(op.node, "node1");
    assert_eq!(op.rc, 7);
    let op = parse_op_spec("my_rsc:1_migrate_to_0@n=1").expect("parses");
    assert_eq!(
        (op.rsc.as_str(), op.task.as_str()),
        ("my_rsc:1", "migrate_to")
    );
    assert!(parse_op_spec("rsc1_start_0@node1").is_err());
    assert!(parse_op_spec("rsc1_start_x@node1=1").is_err());
    assert!(parse_op_spec("start_0@node1=1").is_err());
}
