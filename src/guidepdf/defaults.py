"""Defaults that the command line shows in its help: plain numbers, importing nothing heavy."""

ANSWERS_PER_QUESTION = 50  # answers per question printed in answers.pdf; collect --pdf-answers
