"""Seeds the fuzz corpora from the example playbooks and the conformance suites (one input a file)."""
import argparse
import hashlib
import json
import pathlib


def write(folder: pathlib.Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=pathlib.Path, required=True)
    parser.add_argument("--playbooks", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()

    playbooks = sorted(args.playbooks.glob("*.yaml"))
    for path in playbooks:
        write(args.out / "FuzzYAML", path.read_bytes())
        write(args.out / "FuzzPlaybook", path.read_bytes())
        for line in path.read_text().splitlines():
            if "{{" in line:
                write(args.out / "FuzzTemplate", line.split(":", 1)[-1].strip().strip('"').encode())

    yaml_cases = args.shared / "yaml-test-suite" / "cases"
    if yaml_cases.is_dir():
        for path in sorted(yaml_cases.glob("*.yaml"))[:400]:
            write(args.out / "FuzzYAML", path.read_bytes())

    cel_cases = args.shared / "cel" / "cases.jsonl"
    if cel_cases.is_file():
        for line in cel_cases.read_text().splitlines():
            case = json.loads(line)
            expression = case.get("expr", "")
            write(args.out / "FuzzCELCheck", expression.encode())
            write(args.out / "FuzzTemplate", ("{{ " + expression + " }}").encode())
            bindings = case.get("bindings") or {}
            value = next(iter(bindings.values()), None)
            renamed = expression
            if bindings:
                renamed = expression.replace(next(iter(bindings)), "x")
            write(args.out / "FuzzCELEval", (renamed + "\n" + json.dumps(value)).encode())

    # A first byte picking the format and options (see FuzzRecordFile), then a file.
    data_files = sorted((args.playbooks / "data").glob("*.csv")) + sorted((args.playbooks / "data").glob("*.jsonl"))
    samples = [path.read_bytes() for path in data_files] + [
        b'{"email": "a@x.io", "visits": 3, "score": 1.5, "vip": true, "seen": "2026-01-01T00:00:00Z", "wait": "90s", "tags": ["a"]}\n'
        b'{"email": "b\\u00e9", "visits": -1e2, "extra": {"k": [1, null]}}\r\n\n{broken\n',
        b'email,visits,score\r\n"a ""quoted"" one",3,2.5\r\n"multi\nline",x,\n',
    ]
    for sample in samples:
        for choice in range(16):
            write(args.out / "FuzzRecordFile", bytes([choice]) + sample)

    for target in ("FuzzYAML", "FuzzPlaybook", "FuzzCELCheck", "FuzzCELEval", "FuzzTemplate", "FuzzRecordFile"):
        (args.out / target).mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    main()
