"""Reference data: Japan's prefectures and minimum wages, Viet Nam's provinces."""
