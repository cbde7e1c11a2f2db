"""Run by the peer venv's python (var/bench/peer-venv): llama-index reads and splits files.

That venv has llama-index-core and llama-index-readers-file (which pins pandas<3 and
pypdf<7, so it cannot share the app's venv). Input: a JSON list of file paths on stdin.
Output: JSON nodes (text, metadata, excluded keys) on stdout, to embed in the main process
with the same model. Imports nothing from pilotdesk.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    """Read with SimpleDirectoryReader, split with the default SentenceSplitter, print nodes."""
    from llama_index.core import SimpleDirectoryReader
    from llama_index.core.node_parser import SentenceSplitter

    files = json.loads(sys.stdin.read())
    docs = SimpleDirectoryReader(input_files=files).load_data(show_progress=False)
    nodes = SentenceSplitter().get_nodes_from_documents(docs)
    out = [
        {
            "text": n.get_content(),
            "metadata": n.metadata,
            "excluded_embed_metadata_keys": n.excluded_embed_metadata_keys,
            "excluded_llm_metadata_keys": n.excluded_llm_metadata_keys,
        }
        for n in nodes
    ]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
