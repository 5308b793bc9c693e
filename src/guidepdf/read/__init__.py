"""The read stage: returned PDF forms -> what people answered (reader), many of them checked
against the content and planned (readmany), in worker processes (readpool)."""
