import CEL

/// A record flowing between steps: a CEL map, laid out on its step's `CELRecordSchema` when the
/// step's record type has known fields (values at known positions), an ordinary map of fields in
/// their written order otherwise.
public typealias Record = CELMap
