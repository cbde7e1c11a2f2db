"""What kind of work a workload is: the task, the fine-tuning method, the numeric precision."""

from __future__ import annotations

import re

from app.plan.schema import Method, Precision, Task


def read_task(t: str) -> Task | None:
    """What kind of work the text describes (course first: it may mention fine-tuning too)."""
    # "H100-class GPUs" is a kind of hardware, not a class of students.
    hardware = r"(?![- ]?(?:gpus?|cards?|accelerators?|hardware|machines?|nodes?|devices?)\b)"
    # "distill a 7B teacher into a student": models in distillation, not a class.
    t = re.sub(
        r"\bteachers?(?:'s)?(?=\s+(?:model|logits|network|outputs?|predictions|weights)\b)"
        r"|\b(?:\d+(?:\.\d+)?\s*[bm]|large|big|frozen)\s+teachers?\b|\bteacher[- ]student\b",
        " ",
        t,
    )
    # "teaching a computer to outline roots": training a model, said as a metaphor
    t = re.sub(
        r"\bteach(?:es|ing)?\s+(?:a|the|our|an)\s+(?:computer|model|machine|network|robot|"
        r"neural\s+net\w*|system|ai|algorithm)\b",
        " train ",
        t,
    )
    # "I teach history at a small college" is the asker's role, not a course to run.
    t = re.sub(r"\b(?:i|we|who|she|he)\s+teach(?:es)?\s+(?:[\w-]+\s+){0,3}?at\b", " ", t)
    # "H200 class", "server-class": a grade of hardware, not a class of students.
    t = re.sub(
        r"\b(?:\w*\d\w*|server|consumer|data-?cent(?:er|re)|enterprise|hopper|ampere|"
        r"workstation|world|first|high|top|best)[- ]class\b|"
        r"\b[a-z]+-class\b(?!\s+(?:size|sizes|meets|starts))",  # "a YOLO-class network": a kind
        " ",
        t,
    )
    # "4 technology class … to classify abstracts": the labels of a classifier, not a course
    if re.search(r"\bclassif", t):
        t = re.sub(r"\bclass(?:es)?\b", " ", t)
    # "ImageNet's 21k classes", "1,000 classes": a dataset's labels (nobody teaches that many)
    t = re.sub(
        r"(?<![\w.])(?:\d{3,}|\d[\d,]*\s?k|\d{1,3}(?:,\d{3})+)\s+(?:\w+\s+)?classes\b", " ", t
    )
    # "I retired and now teach part time": the asker's job, not a course to be run
    t = re.sub(
        r"\bteach(?:es|ing)?\s+(?:part[- ]time|full[- ]time)\b",
        " ",
        t,
    )
    if re.search(r"\bclass(?:es)?\b" + hardware, t) or re.search(
        r"(?<!\bof )\b(course(?!-[a-z])(?![- ](?:completion|grades?|enrollments?|outcomes?|"
        r"records?|data|evaluations?|catalog|withdrawals?|dropouts?|retention|success|loads?|"
        r"registrations?|histor(?:y|ies)))|classroom|teach\w*(?! hospital)|"
        # "next semester I will fine-tune", "semester 3": a time, not a course
        r"(?<!next )(?<!this )(?<!last )(?<!following )semester(?!\s+\d)|"
        r"lab sessions|syllabus|enrol+(?:ment|ed)\s*(?:[:=]|is|of|cap(?:ped)?(?:\s+at)?)\s*\d+|"
        r"workshop|bootcamp|camp|(?:summer|winter|spring|autumn|fall) school|homework|hackathon|"
        # (a seminar talk is no course; a seminar with students, enrolment or credits is)
        r"tutorial series|"
        r"seminar(?=[^.]{0,120}\b(?:students|enrolled|enrol|syllabus|weekly|credits?)\b)|"
        r"capstone|coursework|"
        r"lectures?(?![- ](?:audio|recordings?|videos?|transcripts?|notes|slides)))\b",
        t,
    ):
        return "classroom"
    # Students alone may be the research team ("four graduate students and two postdocs"):
    # they make a course when each is given time, or when nothing else is described.
    # "records of 220,000 students": the people in the data, not a class
    subjects = re.sub(r"(?<![\w.])\d{4,}\s+(?:students|learners)\b", " ", t)
    # "Team: 3 faculty and 6 students", "we are 2 professors and 4 students": who does the work
    staff = r"(?:faculty|professors?|postdocs?|researchers?|staff|pis?|scientists?|engineers?)"
    subjects = re.sub(
        staff + r"\s*(?:,|and|&|plus)\s*(?:\w+\s+){0,2}?students\b|"
        r"\bstudents\s*(?:,|and|&|plus)\s*(?:\w+\s+){0,2}?" + staff + r"\b",
        " ",
        subjects,
    )
    learners = re.search(r"\b(?:students|learners|trainees)\b", subjects)
    # "every enrolled student gets one GPU", "every attendee works on their own GPU"
    per_learner = re.search(
        r"\b(?:per|each|every)\s+(?:enrolled\s+|registered\s+)?(?:student|learner|trainee)\b|"
        r"\b(?:students|learners|trainees)\s*(?:x|×)|"
        # a study's "per participant" is data; an attendee given a GPU is taught
        r"\b(?:each|every)\s+(?:enrolled\s+|registered\s+)?(?:attendee|participant)\s+"
        r"(?:has|gets|works|uses|receives)\b",
        t,
    )
    other = _work(t)
    if per_learner or (learners and other is None):
        return "classroom"
    return other


def _work(t: str) -> Task | None:
    """The kind of research work described, when it is not a course."""
    # "our own fine-tuned 8B model" names a model made earlier, not the work to be done.
    t = re.sub(r"\b(?:our|my|their|the|a|an|own)\s+(?:own\s+)?fine[- ]?tuned\b", " ", t)
    # "a pretrained U-Net (inference only)": what the model is; "inference only" is the work.
    t = re.sub(r"\bpre-?trained\b", " ", t)
    if re.search(r"\binference[- ]only\b|\bonly inference\b", t):
        return "inference"
    # "an 8B instruction-tuned model", "a chat-tuned checkpoint": what the model is, not the work.
    t = re.sub(
        r"\b(?:instruction|instruct|chat|rlhf|sft)[- ]?tuned(?=\s+(?:[\w.-]+\s+){0,2}?"
        r"(?:models?|llms?|checkpoints?|variants?|versions?|weights)\b)",
        " ",
        t,
    )
    # "inference only, no training": work ruled out is not the work.
    t = re.sub(
        r"\b(?:no|not|without|never)\s+(?:any\s+)?(?:re-?training|training|fine[- ]?tuning)\b",
        " ",
        t,
    )
    if re.search(
        r"fine[- ]?tun|\blora\b|\bqlora\b|instruction[- ]tun|\bsft\b|\bft\b|adapt(?:er)?s?\b", t
    ):
        return "fine-tuning"
    if re.search(
        r"pre-?train|train(?:ing)? (?:a |an |our |the )?.*from scratch|\b(?:re-?)?train|\bdistil"
        # reinforcement learning runs are training, each seed a run
        r"|reinforcement learning|\brl\b|\bpolicy (?:network|model)\b",
        t,
    ):
        return "training"
    if re.search(
        r"inference|serv(?:e|ing)|generat|embed(?:ding)?s? |evaluat|batch predict|transcri(?:b|pt)|"
        r"\blabel(?:s|l?ing)\b|\btag(?:s|ging)?\b|"  # labelling or tagging items with a model
        r"\bdetector\b|\bsegment(?:s|ation)?\b|"  # running a detector over footage
        # Benchmark suites and image generators run a trained model.
        r"\beval(?:s|[- ]harness)?\b|\bbenchmarks\b|\bsdxl\b|stable diffusion|"
        r"\bdiffusion (?:model|thing|pipeline|job)|\bper image\b|"
        # Using a trained model on data: "run an 8b model over 2 million files", "predict…".
        r"\bpredict|\bextract|\bclassif|summari[sz]|(?:zero|0|few)-shot|"
        r"\brunning (?:the|a|an|our) (?:[\w.-]+ ){0,2}?model\b|"
        r"\brun (?:an? |the |our |this )?"
        r"(?:[\w.-]+\s+){0,3}?(?:model|llm|network)s?(?:\s*\([^)]{0,20}\))?(?:\s+[\w.-]+){0,3}? "
        r"(?:over|on|across)\b",
        t,
    ):
        return "inference"
    if re.search(
        r"pre-?process|post-?process|data processing|\betl\b|tokeni[sz]|simulat|clean(?:ing)? "
        r"|feature extraction|de-?dup|annotat|\bpars(?:e|ing)\b|convert(?:ing)? ",
        t,
    ):
        return "data processing"
    if re.search(r"hyper-?parameter|learning rate|ablations?|\bsweep", t):
        return "training"  # tuning a model's settings means training it
    return None


_NEGATED = r"\b(?:not|no|without|rather than|instead of)\s+(?:a\s+|an\s+|with\s+)?"


def read_method(t: str) -> Method | None:
    """Fine-tuning method; a method named only to rule it out ("not LoRA") does not count."""
    t = re.sub(_NEGATED + r"(?:q?lora|adapters?|peft|full(?:[- ]\w+)? fine[- ]?tun\w*)", " ", t)
    # A question offering choices ("adapters (LoRA) or the whole model?") states none of them.
    t = re.sub(r"[^.?!:>]*\bor\b[^.?!:>]*\?", " ", t)
    # "… asks whether a low-rank adapter would be enough. It would not": asked, then refused
    t = re.sub(
        r"[^.?!:>]*\bwhether\b[^.?!:>]*[.?!:]\s*(?:it|that|this|they)\s+"
        r"(?:would|will|does|did|is|was|could|can)\s*(?:not|n't)\b",
        " ",
        t,
    )
    if "qlora" in t:
        return "qlora"
    if re.search(r"\blora\b|adapter|peft", t):
        return "lora"
    if re.search(
        r"(?:full(?:y|[- ](?:param(?:eter)?s?|weights?|model))?|complete|entire)(?: [a-z]+)? "
        r"fine[- ]?tun"
        r"|full fine"
        r"|\bfull[- ]ft\b|fine[- ]?tun\w*\s*\(\s*full"
        r"|fully (?:re)?train|fine[- ]?tun\w*\s+(?:[\w.-]+\s+){0,4}fully\b"
        r"|(?:all|every) (?:the |of the )?(?:[\w.-]+ ){0,2}?(?:weights?|parameters?)"
        r"|fine[- ]?tun\w* (?:the )?(?:full|whole|entire) model",
        t,
    ):
        return "full"
    return None


def read_precision(t: str) -> Precision | None:
    """Numeric precision named in the text."""
    for pattern, value in (
        (r"\bbf16\b|bfloat16|mixed precision", "bf16"),
        (r"\bfp16\b|float16|half precision", "fp16"),
        (r"\bfp32\b|float32|full precision|single precision", "fp32"),
        (r"\bfp8\b", "fp8"),
        (r"\bint8\b|8-bit", "int8"),
        (r"\bint4\b|4-bit", "int4"),
    ):
        if re.search(pattern, t):
            return value  # type: ignore[return-value]
    return None
