"""Seeded generator of synthetic youth-policy records for search benchmarks.

Records follow the Ontong Youth (온통청년) ``getPlcy`` format used by the sample set in
``data/policies/``: every value is a string, region codes come from
``chalicelib/codes/regions.json`` and coded fields use the code lists in
``chalicelib/codes/ontong_codes.json``. Names, explanations and support texts are composed
from per-category templates and vocabularies, so the corpus is diverse enough for
keyword and semantic search benchmarks rather than a pile of near-duplicates.

The output is deterministic for a given ``(count, seed)``: the same seed always yields
the same records in the same order, and a longer run starts with the records of a
shorter one. ``plcyNo`` values are 20-digit numeric strings starting with ``9`` (the
sample set uses registration-date prefixes such as ``2026...``), so synthetic and
sample records never collide.

Usage::

    python -m bench.synthetic --count 4000 --seed 7 --out /tmp/policies.jsonl

or from Python::

    from bench.synthetic import generate
    for record in generate(1000, seed=3):
        ...
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from chalicelib import codes

TODAY = dt.date(2026, 11, 21)
"""Reference date: application windows are generated open, upcoming or past relative to it."""

_DATE_FIRST = dt.date(2024, 1, 1)
_DATE_LAST = dt.date(2028, 12, 31)

# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Mid:
    """Vocabulary for one 중분류 (mclsfNm).

    Attributes:
        name: The mclsfNm value.
        subjects: Program nouns, e.g. ``"면접수당"``.
        targets: Who the program is for, e.g. ``"미취업 청년"``.
        purposes: What it helps with; used as the object of 돕다/지원하다
            ("노동시장 진입을 돕기 위해").
        supports: Support-content templates. Slots: ``{s}`` small amount, ``{a}`` monthly
            allowance, ``{b}`` one-off amount, ``{l}`` large amount (all 만원), ``{m}`` months,
            ``{n}`` a small count, ``{r}`` a share in percent, ``{q}`` a co-payment percent and
            ``{p}`` an interest rate in percent.
        keywords: Extra keywords for ``plcyKywdNm``.
        documents: Pool of required documents specific to this kind of program.
        job: Candidate ``jobCd`` values (comma lists).
        school: Candidate ``schoolCd`` values.
        special: Candidate ``sBizCd`` values.
        major: Candidate ``plcyMajorCd`` values.
        provision: Candidate ``plcyPvsnMthdCd`` values.
        ages: Candidate ``(min, max)`` age ranges; ``0`` means no limit.
    """

    name: str
    subjects: tuple[str, ...]
    targets: tuple[str, ...]
    purposes: tuple[str, ...]
    supports: tuple[str, ...]
    keywords: tuple[str, ...]
    documents: tuple[str, ...]
    job: tuple[str, ...] = ("0013010",)
    school: tuple[str, ...] = ("0049010",)
    special: tuple[str, ...] = ("0014010",)
    major: tuple[str, ...] = ("0011009",)
    provision: tuple[str, ...] = ("0042006",)
    ages: tuple[tuple[int, int], ...] = ((19, 39), (19, 34), (18, 39))


_NO_LIMIT = "0013010"
_UNEMPLOYED = ("0013003", "0013003,0013007", "0013003,0013005,0013007")
_EMPLOYED = ("0013001", "0013001,0013005,0013007", "0013001,0013002,0013004")
_FOUNDER = ("0013006", "0013003,0013006", "0013002,0013006")
_FARMER = ("0013008", "0013003,0013008")

CATEGORIES: dict[str, tuple[_Mid, ...]] = {
    "일자리": (
        _Mid(
            "취업",
            (
                "구직활동 지원금",
                "면접수당",
                "일경험 인턴십",
                "취업 역량 강화 캠프",
                "직무 멘토링",
                "구직 교통비 지원",
                "채용 연계 직무교육",
                "취업 컨설팅",
                "공공기관 체험형 인턴",
                "지역기업 취업 매칭",
                "구직단념청년 회복 프로그램",
                "면접 정장 대여",
                "취업 스터디 지원",
                "이력서 사진 촬영 지원",
                "해외 취업 연수",
            ),
            (
                "미취업 청년",
                "졸업 후 2년 이내 청년",
                "청년 구직자",
                "고졸 청년 구직자",
                "구직 기간이 6개월 이상인 청년",
                "대학 졸업예정자",
                "경력단절 청년",
            ),
            (
                "구직 활동",
                "노동시장 진입",
                "첫 일자리 찾기",
                "직무 경험 쌓기",
                "취업 준비 기간의 생활 안정",
                "지역 기업 취업",
            ),
            (
                "월 {a}만원 × 최대 {m}개월 구직활동비 지원",
                "면접 1회당 {s}만원, 최대 {n}회 지급",
                "최대 {m}개월 일경험 참여, 월 {a}만원 참여수당",
                "직무교육 무료 제공 및 수료 시 교육수당 {b}만원",
                "1:1 취업 컨설팅 {n}회와 모의면접, 우수 수료생 채용 연계",
                "교통카드 충전금 월 {s}만원 × {m}개월",
            ),
            ("취업", "구직", "면접", "일경험", "인턴", "미취업"),
            (
                "구직활동 계획서",
                "최종학력 졸업증명서",
                "고용보험 자격이력 내역서",
                "면접 확인서",
                "이력서",
                "자기소개서",
            ),
            job=_UNEMPLOYED,
            school=("0049010", "0049004,0049007", "0049006,0049007"),
            provision=("0042006", "0042002", "0042010"),
            ages=((19, 34), (18, 39), (15, 34), (19, 39), (18, 34)),
        ),
        _Mid(
            "창업",
            (
                "창업 사업화 자금",
                "창업 공간 입주",
                "예비창업자 아카데미",
                "로컬 크리에이터 육성",
                "시제품 제작 지원",
                "창업 멘토링",
                "청년 농업 창업",
                "소셜벤처 육성",
                "온라인 판로 개척",
                "창업 재도전 지원",
                "스마트팜 창업 지원",
                "청년 상인 점포 지원",
            ),
            (
                "예비창업자",
                "창업 3년 이내 청년 대표",
                "청년 창업가",
                "귀농을 준비하는 청년",
                "청년 소상공인",
            ),
            (
                "초기 창업 기업의 성장",
                "아이디어의 사업화",
                "창업 기반 마련",
                "지역 자원을 활용한 로컬 창업",
                "판로 확보",
            ),
            (
                "기업당 최대 {l}만원 사업화 자금(자부담 {r}%)",
                "창업 공간 최대 {m}개월 무상 입주 및 멘토링",
                "시제품 제작비 최대 {b}만원과 전문가 컨설팅 {n}회",
                "점포 임차료 월 최대 {a}만원 × {m}개월",
                "창업 교육 {n}주 과정 무료, 우수팀 사업화 자금 {l}만원",
            ),
            ("창업", "사업화", "스타트업", "예비창업", "멘토링"),
            (
                "사업계획서",
                "사업자등록증명원",
                "대표자 주민등록초본",
                "국세·지방세 완납증명서",
                "발표자료",
            ),
            job=_FOUNDER + _FARMER,
            special=("0014010", "0014001", "0014006", "0014002"),
            provision=("0042006", "0042001", "0042002", "0042010"),
            ages=((19, 39), (0, 39), (18, 45), (19, 34)),
        ),
        _Mid(
            "재직자",
            (
                "장기근속 장려금",
                "복지포인트",
                "재직 청년 자산형성 지원",
                "중소기업 재직 청년 교통비",
                "재직자 역량 강화 교육",
                "출퇴근 교통비 지원",
                "재직 청년 주거비 지원",
                "근속 인센티브",
            ),
            (
                "중소기업 재직 청년",
                "제조업 분야 청년 근로자",
                "산업단지 입주기업 청년 근로자",
                "사회초년생",
                "비정규직 청년 근로자",
            ),
            (
                "장기근속",
                "복리후생 향상",
                "중소기업 장기 재직",
                "출퇴근 부담 완화",
                "지역 정착",
            ),
            (
                "{m}개월 근속 시 {b}만원 장려금 지급",
                "연 {b}만원 복지포인트(분기별 지급)",
                "월 {s}만원 교통비 × 최대 {m}개월",
                "본인 적립액에 1:1 매칭, {m}개월 만기 시 최대 {l}만원",
            ),
            ("재직자", "중소기업", "근속", "복지", "교통비"),
            (
                "재직증명서",
                "4대 사회보험 가입내역 확인서",
                "근로계약서",
                "급여명세서",
                "고용보험 가입이력",
            ),
            job=_EMPLOYED,
            special=("0014001", "0014001,0014008", "0014010"),
            provision=("0042006", "0042010"),
            ages=((18, 39), (19, 34), (15, 34)),
        ),
    ),
    "주거": (
        _Mid(
            "주택 및 거주지",
            (
                "공공임대주택 공급",
                "빈집 리모델링 임대",
                "이사비 지원",
                "중개보수 지원",
                "셰어하우스 입주",
                "청년 임대주택 입주",
                "귀촌 청년 주거 정착 지원",
                "역세권 청년주택",
            ),
            ("무주택 청년", "청년 1인가구", "지역으로 전입한 청년", "사회초년생", "청년 신혼부부"),
            ("주거 안정", "독립 초기 주거 마련", "지역 정착", "안전한 주거환경 마련"),
            (
                "주변 시세의 {r}~80% 수준 임대료, 최장 {m}개월 거주",
                "이사비·중개보수 실비 최대 {a}만원",
                "리모델링 주택 월 {s}만원 임대(최장 {m}개월)",
                "입주 시 정착지원금 {b}만원 추가 지급",
            ),
            ("주거", "임대주택", "무주택", "이사", "독립"),
            (
                "주민등록등본",
                "가족관계증명서",
                "임대차계약서",
                "무주택 확인서",
                "소득·자산 증빙서류",
            ),
            provision=("0042004", "0042006"),
            ages=((19, 39), (19, 34), (19, 45)),
        ),
        _Mid(
            "기숙사",
            (
                "공공기숙사 입사",
                "연합기숙사 입주",
                "향토학사 입사",
                "대학생 임대 기숙사",
                "행복기숙사 입사",
            ),
            ("타지역 출신 대학생", "저소득 가구 대학생", "원거리 통학 대학생", "대학 신입생"),
            ("학업 중 주거 안정", "주거비 부담 완화", "통학 부담 완화"),
            (
                "월 기숙사비 {s}만원 수준(식비 포함)",
                "2인 1실 기준 월 {s}만원, 최대 {m}개월 거주",
                "기초생활수급자 우선 배정, 월 {s}만원 관리비",
            ),
            ("기숙사", "대학생", "학사", "주거비"),
            ("입사원서", "재학증명서", "성적증명서", "보호자 주민등록등본", "소득분위 확인서"),
            school=("0049005",),
            special=("0014010", "0014008", "0014003"),
            provision=("0042004",),
            ages=((0, 0), (0, 29)),
        ),
        _Mid(
            "전월세 및 주거급여 지원",
            (
                "월세 지원",
                "전세자금 대출 이자 지원",
                "임차보증금 대출 지원",
                "전세보증금 반환보증 보증료 지원",
                "주거급여 분리지급",
                "보증금 무이자 융자",
                "월세 한시 특별지원",
            ),
            (
                "무주택 청년",
                "부모와 따로 사는 청년",
                "저소득 청년가구",
                "청년 신혼부부",
                "사회초년생",
            ),
            ("주거비 부담 완화", "주거 안정", "전세사기 예방", "보증금 마련"),
            (
                "월 최대 {s}만원 × {m}개월",
                "대출 잔액의 연 최대 {p}%p 이자 지원",
                "보증료 전액 환급(최대 {a}만원)",
                "임차보증금 최대 {l}만원 무이자 융자({m}개월 상환)",
            ),
            ("월세", "전세", "주거비", "보증금", "이자지원"),
            (
                "임대차계약서",
                "월세 이체 내역",
                "주민등록등본",
                "대출 잔액증명서",
                "보증서 사본",
                "통장 사본",
            ),
            provision=("0042006", "0042003", "0042007"),
            ages=((19, 39), (19, 34), (19, 29)),
        ),
    ),
    "교육": (
        _Mid(
            "미래역량강화",
            (
                "디지털 인재 양성 과정",
                "AI 실무 교육",
                "해외 연수",
                "직무 부트캠프",
                "데이터 분석 아카데미",
                "반도체 전문인력 양성",
                "그린에너지 기술 교육",
                "진로 탐색 갭이어",
                "게임 개발자 양성",
                "콘텐츠 크리에이터 교육",
            ),
            (
                "미취업 청년",
                "이공계 졸업(예정) 청년",
                "진로를 고민하는 청년",
                "대학 재학생",
                "전공 전환 희망 청년",
            ),
            (
                "미래 유망 분야 역량 강화",
                "전문 인력으로의 성장",
                "진로 탐색",
                "지역 산업 맞춤형 역량 개발",
            ),
            (
                "교육비 전액 무료, 훈련수당 월 {a}만원",
                "{n}주 집중 교육 및 수료 후 채용 연계",
                "1인당 최대 {b}만원 활동비와 멘토링",
                "해외 연수 항공·체재비 지원(자부담 {r}%)",
            ),
            ("교육", "역량강화", "디지털", "AI", "직무교육"),
            ("지원서", "자기소개서", "졸업(예정)증명서", "재학증명서", "포트폴리오"),
            job=_UNEMPLOYED + (_NO_LIMIT,),
            school=("0049010", "0049005,0049006,0049007", "0049007,0049008"),
            major=("0011009", "0011004,0011005", "0011005", "0011001,0011002,0011003"),
            provision=("0042002",),
            ages=((18, 39), (19, 34), (15, 34), (19, 39)),
        ),
        _Mid(
            "교육비지원",
            (
                "학자금대출 이자 지원",
                "자격시험 응시료 지원",
                "어학시험 응시료 지원",
                "대학원 등록금 지원",
                "교재비 지원",
                "지역 인재 장학금",
                "평생교육 바우처",
                "운전면허 취득 지원",
            ),
            ("대학생", "취업 준비 청년", "졸업 후 미취업 청년", "대학원생", "저소득 가구 청년"),
            ("학비 부담 완화", "자격 취득", "학업 지속", "자기계발"),
            (
                "1인당 연 최대 {a}만원",
                "학자금대출 이자 전액(연 1회)",
                "응시료 실비, 연 {n}회 이내",
                "학기당 등록금의 {r}%, 최대 {b}만원",
            ),
            ("교육비", "장학금", "응시료", "학자금", "자격증"),
            (
                "신청서",
                "응시료 결제 영수증",
                "수험표",
                "재학증명서",
                "이자 납입 증명서",
                "통장 사본",
            ),
            school=("0049010", "0049005", "0049005,0049006,0049007", "0049008"),
            provision=("0042006", "0042010"),
            ages=((0, 0), (18, 39), (19, 34), (0, 35)),
        ),
        _Mid(
            "온라인교육",
            (
                "온라인 직무 강좌",
                "온라인 어학 강좌",
                "원격 자격증 과정",
                "디지털 리터러시 온라인 과정",
                "온라인 코딩 강좌",
            ),
            ("청년", "재직 청년", "취업 준비 청년", "지역 청년"),
            ("시간과 장소에 구애받지 않는 학습", "자기계발", "직무 역량 향상"),
            (
                "온라인 강좌 무료 수강(최대 {n}과정)",
                "수강권 1인당 연 최대 {a}만원",
                "연간 이용권 제공 및 수료증 발급",
            ),
            ("온라인교육", "강좌", "자기계발", "이러닝"),
            ("수강 신청서", "본인 인증"),
            provision=("0042010", "0042002"),
            ages=((19, 39), (18, 34), (0, 0)),
        ),
    ),
    "복지문화": (
        _Mid(
            "취약계층 및 금융지원",
            (
                "자산형성 통장",
                "희망 적금 매칭",
                "재무 상담",
                "신용회복 지원",
                "긴급 생활비 대출",
                "대중교통비 환급",
                "자립준비청년 정착금",
                "채무조정 이자 지원",
                "가족돌봄청년 지원",
            ),
            ("저소득 근로 청년", "자립준비청년", "기초생활수급 청년", "가족돌봄청년", "사회초년생"),
            ("목돈 마련", "경제적 자립", "건전한 금융 습관 형성", "생활 안정"),
            (
                "본인 월 {s}만원 저축 시 1:1 매칭, {m}개월 만기",
                "1:1 재무상담 {n}회와 금융교육",
                "최대 {l}만원 대출, 연 {p}% 금리",
                "월 {a}만원 × {m}개월 생활지원금",
            ),
            ("금융", "자산형성", "저축", "자립", "생활지원"),
            (
                "신청서",
                "소득금액증명원",
                "가족관계증명서",
                "통장 사본",
                "금융정보 제공 동의서",
                "수급자 증명서",
            ),
            job=_EMPLOYED + (_NO_LIMIT,),
            special=("0014010", "0014003", "0014003,0014004", "0014004,0014005"),
            provision=("0042006", "0042003", "0042002"),
            ages=((18, 34), (19, 39), (18, 39)),
        ),
        _Mid(
            "건강",
            (
                "마음건강 상담",
                "심리 회복 프로그램",
                "건강검진 지원",
                "고립·은둔 청년 회복 지원",
                "운동 바우처",
                "치과 치료비 지원",
            ),
            ("청년", "정신적 어려움을 겪는 청년", "고립·은둔 청년", "1인가구 청년"),
            ("마음건강 회복", "일상 회복", "질병 예방", "사회적 관계 회복"),
            (
                "전문 심리상담 {n}회 무료",
                "바우처 {a}만원(본인부담 {q}%)",
                "검진비 최대 {a}만원",
                "{n}개월 회복 프로그램 및 자조모임",
            ),
            ("건강", "심리상담", "마음건강", "정신건강"),
            ("신청서", "개인정보 수집·이용 동의서", "진단서(해당자)"),
            provision=("0042002", "0042010"),
            ages=((19, 39), (19, 34), (13, 39)),
        ),
        _Mid(
            "예술인지원",
            ("예술인 창작지원금", "창작 공간 임대", "청년 예술인 발표 지원", "예술인 활동 준비금"),
            ("청년 예술인", "예술 전공 졸업생", "신진 예술가"),
            ("창작 활동 지속", "예술 활동 기반 마련", "작품 발표"),
            (
                "1인당 {b}만원 창작지원금",
                "작업실 임차료 월 {s}만원 × {m}개월",
                "발표회 개최비 최대 {b}만원",
            ),
            ("예술인", "창작", "문화예술", "공연"),
            ("지원신청서", "포트폴리오", "예술활동증명서", "활동계획서"),
            major=("0011006",),
            ages=((19, 39), (0, 0), (19, 34)),
        ),
        _Mid(
            "문화활동",
            (
                "문화패스",
                "공연 관람 바우처",
                "청년 여행 지원",
                "체육시설 이용권",
                "도서 구입비 지원",
                "문화 동아리 활동비",
            ),
            ("청년", "사회초년생", "만 19세 청년", "지역 청년"),
            ("문화 향유", "여가 생활", "지역 문화 활동 참여"),
            ("1인당 연 {s}만원 문화 포인트", "관람료 최대 {s}만원 지원", "동아리당 활동비 {b}만원"),
            ("문화", "공연", "여가", "바우처"),
            ("신청서", "본인 인증"),
            provision=("0042010",),
            ages=((19, 24), (19, 34), (19, 39), (19, 20)),
        ),
    ),
    "참여권리": (
        _Mid(
            "청년참여",
            (
                "청년정책 네트워크 위원 모집",
                "청년 정책 제안 공모",
                "청년 서포터즈",
                "청년 원탁회의",
                "청년 의회",
                "청년 참여예산단",
            ),
            ("청년", "지역 청년", "대학생", "청년 활동가"),
            ("정책 참여", "청년 목소리의 정책 반영", "지역 거버넌스 참여"),
            (
                "회의 참석수당 회당 {s}만원",
                "월 활동비 {s}만원, 우수 활동자 표창",
                "우수 제안 상금 최대 {b}만원",
            ),
            ("청년참여", "정책제안", "거버넌스", "위원"),
            ("신청서", "자기소개서", "활동계획서"),
            provision=("0042002",),
            ages=((19, 39), (19, 34), (18, 39)),
        ),
        _Mid(
            "정책인프라구축",
            (
                "청년센터 운영",
                "청년 공간 조성",
                "청년마을 조성",
                "청년정책 통합 상담",
                "청년 커뮤니티 지원",
            ),
            ("청년", "청년 단체", "지역 청년 모임"),
            ("청년 활동 기반 마련", "정책 정보 접근", "청년 공동체 활동"),
            (
                "공간 무료 대관 및 프로그램 운영",
                "단체당 최대 {l}만원 운영비",
                "1:1 정책 상담 및 기관 연계",
            ),
            ("청년공간", "청년센터", "커뮤니티", "상담"),
            ("사업계획서", "단체 구성원 명단"),
            provision=("0042001", "0042011"),
            ages=((0, 0), (19, 39)),
        ),
        _Mid(
            "권익보호",
            (
                "노동권익 상담",
                "전세피해 법률 지원",
                "아르바이트 권리 교육",
                "청년 부채 상담",
                "디지털 성범죄 피해 지원",
            ),
            ("아르바이트 청년", "사회초년생", "전세피해 청년", "청년 근로자"),
            ("권리 구제", "피해 예방", "피해 회복"),
            ("노무사·변호사 무료 상담", "법률 비용 최대 {b}만원", "찾아가는 교육 {n}시간"),
            ("권익보호", "노동상담", "법률지원", "피해지원"),
            ("상담신청서", "관련 증빙자료"),
            job=(_NO_LIMIT, "0013001,0013005,0013007"),
            provision=("0042005", "0042013"),
            ages=((15, 39), (19, 39), (0, 0)),
        ),
    ),
}
"""lclsfNm -> vocabularies of its 중분류 (mclsfNm)."""

_CATEGORY_WEIGHTS = {"일자리": 30, "주거": 20, "교육": 18, "복지문화": 20, "참여권리": 12}

_BRANDS = (
    "희망",
    "내일",
    "도약",
    "드림",
    "새싹",
    "디딤돌",
    "청춘",
    "꿈날개",
    "다온",
    "이음",
    "두드림",
    "함께",
    "행복",
    "미래",
    "첫걸음",
    "징검다리",
    "든든",
    "온기",
    "날개",
    "청년愛",
    "다시봄",
    "한걸음",
)
_SUFFIXES = ("", "", "", " 사업", " 지원사업", " 프로그램", " 추가모집", " (하반기)", " (2차)")

_MINISTRIES = {
    "일자리": ("고용노동부", "중소벤처기업부", "농림축산식품부", "해양수산부"),
    "주거": ("국토교통부",),
    "교육": ("교육부", "고용노동부", "과학기술정보통신부"),
    "복지문화": ("보건복지부", "문화체육관광부", "금융위원회", "여성가족부"),
    "참여권리": ("국무조정실", "고용노동부", "법무부", "행정안전부"),
}
_DEPTS = (
    "청년정책과",
    "청년정책담당관",
    "일자리정책과",
    "일자리경제과",
    "주택정책과",
    "교육협력과",
    "문화예술과",
    "복지정책과",
    "창업지원과",
    "농업정책과",
    "노동정책과",
    "인구청년정책관",
)
_OPERATORS = (
    "",
    "",
    "청년센터",
    "일자리재단",
    "신용보증재단",
    "문화재단",
    "정신건강복지센터",
    "창조경제혁신센터",
)

_METHODS = (
    "{portal} 온라인 신청",
    "{portal}에서 온라인 신청 또는 주소지 행정복지센터 방문 신청",
    "공고문 확인 후 이메일 접수",
    "운영기관 방문 또는 우편 접수",
    "{portal} 회원가입 후 신청서 작성, 증빙서류 업로드",
    "전화 예약 후 방문 상담",
)
_SCREENINGS = (
    "서류 심사 후 개별 통보",
    "소득 순위에 따라 선정",
    "서류 심사 → 면접 → 최종 선정",
    "선착순(예산 소진 시 마감)",
    "자격 확인 후 무작위 추첨",
    "가구소득·미취업기간 등을 점수화해 고득점 순 선정",
    "서류 → 발표 평가",
)
_COMMON_DOCS = (
    "주민등록초본",
    "주민등록등본",
    "신분증 사본",
    "개인정보 수집·이용 동의서",
    "통장 사본",
    "건강보험료 납부확인서",
)
_EXCLUSIONS = (
    "",
    "",
    "동일·유사 사업 수혜자",
    "국민취업지원제도 참여 중인 자",
    "- 주택 소유자\n- 주거급여 수급자",
    "○ 대학(원) 재학생\n○ 휴학생",
    "최근 1년 이내 동일 사업 참여자, 국세·지방세 체납자",
    "공무원, 공공기관 재직자",
)
_QUALIFICATIONS = (
    "",
    "",
    "신청일 현재 해당 지역에 주민등록을 둔 청년",
    "공고일 기준 6개월 이상 해당 지역에 거주한 청년",
    "무주택 청년(세대원 포함)",
    "최종학력 졸업 후 미취업 상태인 청년",
    "주 30시간 미만 근로 중인 청년 포함",
)
_MEDIAN = (
    "기준중위소득 150% 이하",
    "기준중위소득 120% 이하",
    "기준중위소득 100% 이하",
    "기준중위소득 60% 이하",
    "가구 기준중위소득 200% 이하",
    "본인 월 소득 250만원 이하",
)
_ENCLOSED = "①②③④⑤⑥⑦⑧⑨⑩"
_SMALL = (5, 10, 15, 20, 30)
_ALLOWANCE = (30, 40, 50, 60)
_ONE_OFF = (50, 100, 120, 150, 200, 300)
_LARGE = (500, 1000, 1500, 2000, 3000, 5000)
_MONTHS = (3, 4, 6, 8, 10, 12, 24, 36)
_SHARES = (20, 30, 40, 50, 60)
_COPAY = (0, 10, 20)
_RATES = ("1.0", "1.5", "2.0", "2.5", "3.0")
_RANGE_SEPARATORS = ("\\N", "\n")
"""Separators between two application windows in ``aplyYmd``: a literal backslash-N, as
the live API sends it, or a line break."""
_NATIONAL_SITES = (
    "https://www.youthcenter.go.kr",
    "https://www.work24.go.kr",
    "https://www.bokjiro.go.kr",
    "https://www.gov.kr",
    "https://www.k-startup.go.kr",
    "https://www.kosaf.go.kr",
)
_PROVINCE_SITES = {
    "11": "https://youth.seoul.go.kr",
    "26": "https://www.busan.go.kr",
    "27": "https://www.daegu.go.kr",
    "28": "https://www.incheon.go.kr",
    "29": "https://www.gwangju.go.kr",
    "30": "https://www.daejeon.go.kr",
    "31": "https://www.ulsan.go.kr",
    "36": "https://www.sejong.go.kr",
    "41": "https://www.gg.go.kr",
    "43": "https://www.chungbuk.go.kr",
    "44": "https://www.chungnam.go.kr",
    "46": "https://www.jeonnam.go.kr",
    "47": "https://www.gb.go.kr",
    "48": "https://www.gyeongnam.go.kr",
    "50": "https://www.jeju.go.kr",
    "51": "https://state.gwd.go.kr",
    "52": "https://www.jeonbuk.go.kr",
}

# --------------------------------------------------------------------------- helpers


def _has_final_consonant(word: str) -> bool:
    """Tell whether the last syllable of ``word`` has a final consonant (받침).

    Args:
        word: Korean word; non-Hangul endings (digits, brackets) count as no 받침.

    Returns:
        True when a particle such as 을/이/은 should follow.
    """
    last = word.rstrip(" )")[-1:] or " "
    code = ord(last) - 0xAC00
    return 0 <= code <= 11171 and code % 28 != 0


def _josa(word: str, with_final: str, without_final: str) -> str:
    """Attach the particle form that fits ``word``.

    Args:
        word: The noun the particle follows.
        with_final: Particle after a final consonant, e.g. ``"을"``.
        without_final: Particle after a vowel, e.g. ``"를"``.

    Returns:
        ``word`` followed by the matching particle.
    """
    return word + (with_final if _has_final_consonant(word) else without_final)


def _format_docs(items: Sequence[str], style: int) -> str:
    """Format a document list in one of the styles seen in real Ontong records.

    Args:
        items: Document names.
        style: Style index (0-6).

    Returns:
        The formatted ``sbmsnDcmntCn`` text.
    """
    if style == 0:
        return " ".join(f"{i}. {t}" for i, t in enumerate(items, 1))
    if style == 1:
        return ", ".join(items)
    if style == 2:
        return "\n".join(f"- {t}" for t in items)
    if style == 3:
        return "\n".join(f"○ {t}" for t in items)
    if style == 4:
        return " ".join(f"{_ENCLOSED[i]} {t}" for i, t in enumerate(items))
    if style == 5:
        return " / ".join(items)
    return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))


class _Regions:
    """Precomputed region code strings drawn from ``regions.json``."""

    def __init__(self) -> None:
        """Build per-province, per-city and national ``zipCd`` strings."""
        self.province_names = codes.provinces()
        self.province_codes = sorted(self.province_names)
        self.by_province = {p: list(codes.districts_of(p)) for p in self.province_codes}
        self.national_zip = ",".join(c for p in self.province_codes for c in self.by_province[p])
        self.province_zip = {p: ",".join(self.by_province[p]) for p in self.province_codes}
        # Local governments below province level: cities with 일반구 grouped, others one code each.
        self.local_units: dict[str, list[tuple[str, str]]] = {}
        for province in self.province_codes:
            groups: dict[str, list[str]] = {}
            for code, name in codes.districts_of(province).items():
                groups.setdefault(name.split(" ")[0], []).append(code)
            self.local_units[province] = [(name, ",".join(cs)) for name, cs in groups.items()]
        self.short = {p: _short_province(n) for p, n in self.province_names.items()}


def _short_province(name: str) -> str:
    """Shorten a province name the way policy titles do (``서울특별시`` -> ``서울``).

    Args:
        name: Full province name.

    Returns:
        The short form.
    """
    special = {
        "충청북도": "충북",
        "충청남도": "충남",
        "경상북도": "경북",
        "경상남도": "경남",
        "전라남도": "전남",
        "전북특별자치도": "전북",
        "강원특별자치도": "강원",
        "제주특별자치도": "제주",
        "세종특별자치시": "세종",
    }
    if name in special:
        return special[name]
    for suffix in ("특별시", "광역시", "도"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_FOLLOW_UPS = (
    "신청자의 소득과 거주 기간 등을 종합적으로 심사해 대상자를 선정합니다.",
    "예산 범위 내에서 운영되며 조기에 마감될 수 있습니다.",
    "사업 종료 후에는 만족도 조사와 사후 관리 프로그램이 이어집니다.",
    "지역 청년센터와 연계해 상담과 후속 프로그램을 함께 안내합니다.",
    "올해는 지원 규모를 늘려 더 많은 청년이 참여할 수 있습니다.",
    "이번 회차부터 온라인 신청 절차가 간소화되었습니다.",
)
_CLOSINGS = (
    "중복 수혜 여부는 신청 후 행정정보 공동이용으로 확인합니다.",
    "자세한 내용은 공고문과 운영기관 안내를 참고하시기 바랍니다.",
    "선정 결과는 개별 문자로 안내합니다.",
    "타 지역에서 전입한 청년은 가점을 받을 수 있습니다.",
)


def _explanation(
    rng: random.Random,
    scope: str,
    region: str,
    target: str,
    subject: str,
    purpose: str,
    support: str,
) -> str:
    """Compose a 1-4 sentence ``plcyExplnCn`` text.

    Args:
        rng: Random source.
        scope: ``"national"``, ``"province"`` or ``"local"``.
        region: Region or institution name used in the text.
        target: Who the program is for.
        subject: Program noun.
        purpose: What the program helps with (object of 돕다/지원하다).
        support: The support text; its first line may be quoted.

    Returns:
        The explanation text.
    """
    where = "전국 각지" if scope == "national" else region
    purpose_obj = _josa(purpose, "을", "를")
    subject_obj = _josa(subject, "을", "를")
    kind = "지역 청년정책" if scope != "national" else "청년정책"
    opener = rng.choice(
        (
            f"{where}에 사는 {target}의 {purpose_obj} 돕기 위해 {subject_obj} 운영합니다.",
            f"{_josa(subject, '은', '는')} {target}의 {purpose_obj} 지원하는 {kind}입니다.",
            f"{_josa(target, '을', '를')} 대상으로 {subject_obj} 제공해 {purpose_obj} 돕습니다.",
            f"{where} {target}의 {purpose} 지원을 위해 마련한 {subject} 사업입니다.",
        )
    )
    sentences = [opener]
    roll = rng.random()
    if roll < 0.35:
        benefit = support.splitlines()[0].lstrip("○-□ ")
        sentences.append(f"선정되면 {benefit} 혜택을 받을 수 있습니다.")
    elif roll < 0.8:
        sentences.append(rng.choice(_FOLLOW_UPS))
    if rng.random() < 0.4:
        sentences.append(rng.choice(_CLOSINGS))
    return " ".join(sentences)


def _date_table() -> list[str]:
    """Return ``YYYYMMDD`` strings for every day from 2024-01-01 to 2028-12-31.

    Returns:
        List indexed by day offset from 2024-01-01.
    """
    days = (_DATE_LAST - _DATE_FIRST).days + 1
    return [(_DATE_FIRST + dt.timedelta(days=i)).strftime("%Y%m%d") for i in range(days)]


# --------------------------------------------------------------------------- generator


def generate(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """Yield synthetic youth-policy records.

    Args:
        count: Number of records to yield (0 or more).
        seed: Seed for the pseudo-random generator; the same seed yields the same records.

    Yields:
        Records in the Ontong ``getPlcy`` format: every value is a string; ``plcyNo`` is a
        unique 20-digit numeric string starting with ``9``.

    Raises:
        ValueError: If ``count`` is negative or needs more than 16 digits of serial number.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if count >= 10**16:
        raise ValueError("count too large for 20-digit plcyNo values")
    rng = random.Random(seed)
    regions = _Regions()
    dates = _date_table()
    today_idx = (TODAY - _DATE_FIRST).days
    reg_lo = (dt.date(2025, 1, 2) - _DATE_FIRST).days
    cats = list(_CATEGORY_WEIGHTS)
    cat_weights = list(_CATEGORY_WEIGHTS.values())
    prefix = f"9{seed % 1000:03d}"
    r = rng.random
    ch = rng.choice
    ri = rng.randint

    for index in range(count):
        category = rng.choices(cats, cat_weights)[0]
        mid = ch(CATEGORIES[category])
        subject = ch(mid.subjects)
        target = ch(mid.targets)
        purpose = ch(mid.purposes)

        # ----- scope: national 25%, provincial 45%, city/district 30%
        roll = r()
        province = ch(regions.province_codes)
        pname = regions.province_names[province]
        pshort = regions.short[province]
        if roll < 0.25:
            scope = "national"
            zip_cd = regions.national_zip
            inst = ch(_MINISTRIES[category])
            region_word = "전국"
            label = ""
            site = ch(_NATIONAL_SITES)
            portal = "온통청년" if site.endswith("youthcenter.go.kr") else site.split("//")[1]
            top = inst
        elif roll < 0.70:
            scope = "province"
            zip_cd = regions.province_zip[province]
            inst = f"{pname} {ch(_DEPTS)}"
            region_word = pname
            label = pshort
            site = _PROVINCE_SITES[province]
            portal = f"{pshort}청년포털"
            top = pname
        else:
            scope = "local"
            unit_name, zip_cd = ch(regions.local_units[province])
            if unit_name == pname:  # Sejong: the province is its own only unit
                scope = "province"
            inst = pname if unit_name == pname else f"{pname} {unit_name}"
            region_word = inst
            label = unit_name if unit_name != pname else pshort
            site = _PROVINCE_SITES[province]
            portal = f"{unit_name} 누리집"
            top = pname
            if r() < 0.01:  # real data sometimes omits zipCd on local records
                zip_cd = ""

        # ----- name
        brand = ch(_BRANDS)
        youth = "" if "청년" in subject else "청년 "
        place = f"{label} " if label else ""
        pattern = ri(0, 5)
        if pattern == 0 and label:
            name = f"{label} {youth}{subject}"
        elif pattern == 1 and label:
            name = f"{label} {brand} {youth}{subject}"
        elif pattern == 2:
            name = f"{ch(('2026', '2027'))}년 {place}{youth}{subject}"
        elif pattern == 3:
            name = f"{youth}{subject}({label or '전국'})"
        elif pattern == 4:
            name = f"{brand} {youth}{subject}"
        else:
            name = f"{place}{subject} '{brand}'"
        name += ch(_SUFFIXES)

        # ----- amounts and support text
        slots = {
            "s": ch(_SMALL),
            "a": ch(_ALLOWANCE),
            "b": f"{ch(_ONE_OFF):,}",
            "l": f"{ch(_LARGE):,}",
            "m": ch(_MONTHS),
            "n": ri(2, 10),
            "r": ch(_SHARES),
            "q": ch(_COPAY),
            "p": ch(_RATES),
        }
        first, second = rng.sample(mid.supports, 2)
        support = first.format(**slots)
        bullet = ch(("", "○ ", "- ", "□ "))
        if r() < 0.4:
            support = f"{bullet}{support}\n{bullet}{second.format(**slots)}"
        else:
            support = bullet + support

        # ----- explanation: 2-4 sentences assembled from templates
        explanation = _explanation(rng, scope, region_word, target, subject, purpose, support)

        # ----- eligibility
        lo, hi = ch(mid.ages)
        age_roll = r()
        if age_roll < 0.015 and lo and hi:
            min_age, max_age = str(hi), str(lo)  # swapped: data-entry errors exist in the real feed
        elif age_roll < 0.03:
            min_age = max_age = ""
        else:
            min_age, max_age = str(lo), str(hi)
        age_yn = "Y" if max_age in ("0", "") and min_age in ("0", "") else "N"

        earn_roll = r()
        if earn_roll < 0.62:
            earn = ("0043001", "0", "0", "")
        elif earn_roll < 0.88:
            earn = ("0043003", "0", "0", ch(_MEDIAN))
        else:
            earn = ("0043002", "0", str(ch((3000, 3600, 4000, 5000, 6000, 7000))), "")

        marital = "0055003" if r() < 0.9 else ch(("0055001", "0055002"))
        job = ch(mid.job)
        school = ch(mid.school)
        special = ch(mid.special)
        major = ch(mid.major)

        # ----- application window relative to TODAY
        reg_idx = ri(reg_lo, today_idx - 1)
        window = r()
        if window < 0.25:
            period, apply_ymd = "0057002", ""
            biz = (
                (dates[reg_idx], dates[min(reg_idx + 365, len(dates) - 1)])
                if r() < 0.7
                else ("", "")
            )
        elif window < 0.40:
            period, apply_ymd = "0057003", ""
            biz = (dates[reg_idx], dates[min(reg_idx + 180, today_idx - 1)])
        else:
            period = "0057001"
            state = r()
            if state < 0.40:  # open now
                start = ri(max(reg_idx, today_idx - 200), today_idx)
                end = ri(today_idx, today_idx + 60)
            elif state < 0.70:  # upcoming (late 2026 or 2027)
                start = ri(today_idx + 1, today_idx + 300)
                end = start + ri(7, 45)
            else:  # window already passed
                start = ri(min(reg_idx, today_idx - 40), today_idx - 10)
                end = min(start + ri(7, 60), today_idx - 1)
            apply_ymd = f"{dates[start]} ~ {dates[end]}"
            if r() < 0.04 and end + 120 < len(dates):  # second round
                second = end + ri(60, 110)
                separator = ch(_RANGE_SEPARATORS)
                apply_ymd += f"{separator}{dates[second]} ~ {dates[second + ri(7, 20)]}"
            biz = (dates[start], dates[min(end + ri(60, 365), len(dates) - 1)])
        mod_idx = min(reg_idx + ri(0, 120), today_idx - 1)

        # ----- documents, method, text extras
        doc_roll = r()
        if doc_roll < 0.06:
            documents = ""
        else:
            pool = list(mid.documents) + list(_COMMON_DOCS)
            documents = _format_docs(rng.sample(pool, ri(2, 5)), ri(0, 6))
        keywords = ",".join(
            dict.fromkeys(rng.sample(mid.keywords, 2) + [ch(("청년", category, mid.name))])
        )
        operator = ch(_OPERATORS)
        inst_code = f"{ri(1000000, 6999999)}"
        top_code = f"{ri(1000000, 6999999)}"
        url = site if r() < 0.85 else ""
        serial = f"{prefix}{index:016d}"
        registered = _timestamp(dates[reg_idx], ri(8, 18), ri(0, 59), ri(0, 59))
        modified = _timestamp(dates[mod_idx], ri(8, 18), ri(0, 59), ri(0, 59))
        if modified < registered:
            modified = registered

        yield {
            "plcyNo": serial,
            "plcyNm": name,
            "plcyKywdNm": keywords,
            "plcyExplnCn": explanation,
            "lclsfNm": category,
            "mclsfNm": mid.name,
            "plcySprtCn": support,
            "plcyPvsnMthdCd": ch(mid.provision),
            "sprvsnInstCd": inst_code,
            "sprvsnInstCdNm": inst,
            "operInstCd": "",
            "operInstCdNm": f"{label or pshort} {operator}".strip() if operator else "",
            "sprtSclLmtYn": "Y" if r() < 0.4 else "N",
            "sprtSclCnt": str(ch((0, 0, 0, 30, 100, 300, 1000, 5000))),
            "sprtArvlSeqYn": "Y" if r() < 0.15 else "N",
            "aplyPrdSeCd": period,
            "aplyYmd": apply_ymd,
            "bizPrdSeCd": "0056001" if biz[0] else "0056002",
            "bizPrdBgngYmd": biz[0],
            "bizPrdEndYmd": biz[1],
            "bizPrdEtcCn": "" if biz[0] else "공고문 참조",
            "plcyAplyMthdCn": ch(_METHODS).format(portal=portal),
            "srngMthdCn": ch(_SCREENINGS),
            "aplyUrlAddr": url,
            "sbmsnDcmntCn": documents,
            "etcMttrCn": "",
            "refUrlAddr1": url or site,
            "refUrlAddr2": "",
            "sprtTrgtMinAge": min_age,
            "sprtTrgtMaxAge": max_age,
            "sprtTrgtAgeLmtYn": age_yn,
            "mrgSttsCd": marital,
            "earnCndSeCd": earn[0],
            "earnMinAmt": earn[1],
            "earnMaxAmt": earn[2],
            "earnEtcCn": earn[3],
            "addAplyQlfcCndCn": ch(_QUALIFICATIONS),
            "ptcpPrpTrgtCn": ch(_EXCLUSIONS),
            "jobCd": job,
            "schoolCd": school,
            "plcyMajorCd": major,
            "sBizCd": special,
            "zipCd": zip_cd,
            "rgtrInstCd": inst_code,
            "rgtrInstCdNm": inst,
            "rgtrUpInstCd": top_code,
            "rgtrUpInstCdNm": top,
            "rgtrHghrkInstCd": top_code,
            "rgtrHghrkInstCdNm": top,
            "plcyAprvSttsCd": "0044002" if r() < 0.98 else ch(("0044001", "0044003", "0044004")),
            "frstRegDt": registered,
            "lastMdfcnDt": modified,
            "inqCnt": str(int(rng.paretovariate(1.2) * 40)),
        }


def _timestamp(ymd: str, hour: int, minute: int, second: int) -> str:
    """Build a ``YYYY-MM-DD HH:MM:SS`` timestamp as the API formats ``frstRegDt``.

    Args:
        ymd: Date as eight digits.
        hour: Hour of day.
        minute: Minute.
        second: Second.

    Returns:
        The timestamp string.
    """
    return f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]} {hour:02d}:{minute:02d}:{second:02d}"


def write_jsonl(path: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` synthetic records to ``path`` as JSON Lines.

    Args:
        path: Output file; parent directories are created.
        count: Number of records.
        seed: Generator seed.

    Returns:
        The number of records written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            written += 1
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command-line interface.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        Process exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Write synthetic Ontong-format youth-policy records as JSON Lines.",
    )
    parser.add_argument("--count", type=int, default=4000, help="number of records (default 4000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, required=True, help="output .jsonl path")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    started = time.perf_counter()
    written = write_jsonl(args.out, args.count, args.seed)
    elapsed = time.perf_counter() - started
    print(f"wrote {written} records to {args.out} in {elapsed:.2f}s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
