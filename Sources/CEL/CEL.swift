/// The Common Expression Language.
public enum CEL {}
